package dev.distrolix.nix;

import dev.distrolix.TempFiles;
import dev.distrolix.blob.Digest;
import dev.distrolix.blob.RecordKey;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluations the last build of a spec file ran ({@code nix-instantiate} arguments), one file per spec file and
 * build options, beside the layer cache: the next build of the same bytes starts them before it has read the spec
 * ({@link EarlyEvaluations}). A record says only what to start early: the build takes a started evaluation's answer
 * only where the arguments it would run are the same, so a stale or wrong record can at worst waste a process.
 * Records end with an HMAC under this user's {@link RecordKey} all the same (what they name is run), are bounded
 * ({@value #MAX_BYTES} bytes, {@value #MAX_COMMANDS} evaluations), and are written atomically, best effort.
 */
public final class EvaluationRecords {
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_COMMANDS = 64;
    /** A spec file larger than this has no record (the spec loader's own bound: it refuses such a spec). */
    private static final long MAX_SPEC_BYTES = 4 << 20;
    private static final String MAGIC = "distrolix-evaluation-record";
    private static final int VERSION = 1;

    private EvaluationRecords() {
    }

    /** The evaluations folder of a layer cache folder. */
    public static Path beside(Path layerCacheDir) {
        return layerCacheDir.resolve("evaluations");
    }

    /**
     * The record of builds of {@code specFile} (as it is now) with the search path {@code includes} and the
     * {@code platforms} asked for (null: the spec's), in {@code dir}; one that keeps nothing when the spec cannot be
     * read.
     */
    public static Slot slot(Path dir, RecordKey key, Path specFile, List<String> includes, List<String> platforms) {
        try {
            Path spec = specFile.toAbsolutePath().normalize();
            if (!Files.isRegularFile(spec) || Files.size(spec) > MAX_SPEC_BYTES) {
                return Slot.NONE;
            }
            StringBuilder name = new StringBuilder(spec.toString());
            includes.forEach(i -> name.append("\0-I\0").append(i));
            name.append(platforms == null ? "\0" : "\0--platform\0" + String.join(",", platforms));
            return new Slot(dir.resolve(Digest.sha256(name.toString().getBytes(StandardCharsets.UTF_8)).hex()), key,
                    Digest.sha256(Files.readAllBytes(spec)).hex());
        } catch (IOException | RuntimeException unreadable) {
            return Slot.NONE; // the spec loader says what is wrong with it
        }
    }

    /**
     * One spec file's record ({@code file}, under {@code key}): its evaluations, under the hash of the spec's bytes
     * when it was read. A null file keeps nothing.
     */
    public record Slot(Path file, RecordKey key, String specHash) {
        static final Slot NONE = new Slot(null, null, null);

        /** The evaluations recorded for the spec's bytes as they were read; none when there is no such record. */
        public List<List<String>> load() {
            if (file == null) {
                return List.of();
            }
            try {
                byte[] bytes = RecordKey.readRecord(file, MAX_BYTES);
                byte[] k = bytes == null ? null : key.bytes();
                List<List<String>> commands = k == null ? null : decode(bytes, k, specHash);
                return commands != null ? commands : List.of();
            } catch (IOException | RuntimeException unreadable) {
                return List.of();
            }
        }

        /** Keeps {@code commands} as this spec's evaluations (none: the record is removed); best effort. */
        public void store(List<List<String>> commands) {
            if (file == null) {
                return;
            }
            try {
                byte[] k = key.bytes();
                byte[] bytes = k == null || commands.isEmpty() ? null : encode(k, specHash, commands);
                if (bytes != null) {
                    TempFiles.replaceQuietly(file, bytes);
                } else {
                    Files.deleteIfExists(file);
                }
            } catch (IOException | RuntimeException notKept) {
                // only not kept
            }
        }
    }

    /** The record's bytes, or null when it would be past its bounds (then nothing is kept). */
    static byte[] encode(byte[] key, String specHash, List<List<String>> commands) throws IOException {
        if (commands.size() > MAX_COMMANDS) {
            return null;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(specHash);
        out.writeInt(commands.size());
        for (List<String> args : commands) {
            out.writeInt(args.size());
            for (String a : args) {
                if (a.length() > 0xffff / 3) {
                    return null; // past what writeUTF is sure to take
                }
                out.writeUTF(a);
            }
        }
        out.flush();
        return RecordKey.sealWithin(key, buf.toByteArray(), MAX_BYTES);
    }

    /** The evaluations, or null when the record is damaged, made under another key or for other bytes of the spec. */
    static List<List<String>> decode(byte[] bytes, byte[] key, String specHash) throws IOException {
        DataInputStream in = RecordKey.open(key, bytes, MAGIC, VERSION);
        if (in == null || !specHash.equals(in.readUTF())) {
            return null;
        }
        int n = in.readInt();
        if (n < 0 || n > MAX_COMMANDS) {
            return null;
        }
        List<List<String>> commands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int count = in.readInt();
            if (count < 1 || count > in.available() / 2) { // each argument takes at least its 2-byte length
                return null;
            }
            List<String> args = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                args.add(in.readUTF());
            }
            if (!"--eval".equals(args.get(0))) {
                return null; // only evaluations, which write nothing, are ever started early
            }
            commands.add(List.copyOf(args));
        }
        return in.available() == 0 ? commands : null;
    }
}
