package dev.distrolix.nix.substituter;

import dev.distrolix.nix.StorePath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One {@code <hashPart>.narinfo} of a binary cache. {@code references} are full store paths, sorted, and
 * include the path itself when it refers to itself (as the narinfo states them). No {@code Compression}
 * line means bzip2.
 */
public record NarInfo(StorePath storePath, String url, String compression, Optional<NarHash> fileHash,
                      long fileSize, NarHash narHash, long narSize, List<StorePath> references,
                      Optional<String> deriver, List<String> sigs, Optional<String> ca) {
    /** The most bytes a narinfo may have (a real one is well under 4 kB, even with many references). */
    public static final int MAX_BYTES = 1 << 20;

    public NarInfo {
        references = List.copyOf(new TreeSet<>(references));
        sigs = List.copyOf(sigs);
    }

    /**
     * Parses narinfo text ({@code Key: value} lines; unknown keys are ignored, as Nix does). Errors are
     * IllegalArgumentExceptions saying what is wrong; the caller names the store path and URL.
     */
    public static NarInfo parse(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        StorePath storePath = null;
        String url = null;
        String compression = null;
        NarHash fileHash = null;
        long fileSize = 0;
        NarHash narHash = null;
        long narSize = -1;
        String refs = null;
        String deriver = null;
        String ca = null;
        List<String> sigs = new ArrayList<>();
        for (String line : s.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                throw new IllegalArgumentException("not a 'Key: value' line: '" + clip(line) + "'");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            switch (key) {
                case "StorePath" -> storePath = StorePath.parse(value);
                case "URL" -> url = value;
                case "Compression" -> compression = value;
                case "FileHash" -> fileHash = NarHash.parse(value);
                case "FileSize" -> fileSize = number(key, value);
                case "NarHash" -> narHash = NarHash.parse(value);
                case "NarSize" -> narSize = number(key, value);
                case "References" -> refs = value;
                case "Deriver" -> deriver = value;
                case "Sig" -> sigs.add(value);
                case "CA" -> ca = value;
                default -> { } // Nix ignores keys it does not know
            }
        }
        if (storePath == null || url == null || narHash == null) {
            throw new IllegalArgumentException("lacks " + (storePath == null ? "StorePath" : url == null ? "URL" : "NarHash"));
        }
        if (narSize <= 0) {
            throw new IllegalArgumentException("lacks a positive NarSize");
        }
        List<StorePath> references = new ArrayList<>();
        if (refs != null) {
            for (String r : refs.split(" ")) {
                if (!r.isEmpty()) {
                    references.add(StorePath.fromBaseName(storePath.storeDir(), r));
                }
            }
        }
        if (url.startsWith("/") || url.contains("..") || url.contains("://")) {
            throw new IllegalArgumentException("URL must be relative to the cache: '" + clip(url) + "'");
        }
        return new NarInfo(storePath, url, compression == null || compression.isEmpty() ? "bzip2" : compression,
                Optional.ofNullable(fileHash), fileSize, narHash, narSize, references,
                Optional.ofNullable(deriver).filter(d -> !d.equals("unknown-deriver")), sigs, Optional.ofNullable(ca));
    }

    /** What a signature signs: {@code 1;<path>;<sha256:nix32 NarHash>;<NarSize>;<full references, sorted, comma-separated>}. */
    public String fingerprint() {
        StringBuilder b = new StringBuilder("1;").append(storePath.fullPath()).append(';').append(narHash)
                .append(';').append(narSize).append(';');
        for (int i = 0; i < references.size(); i++) {
            b.append(i == 0 ? "" : ",").append(references.get(i).fullPath());
        }
        return b.toString();
    }

    private static long number(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + clip(value) + "'");
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
