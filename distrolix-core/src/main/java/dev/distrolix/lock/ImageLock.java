package dev.distrolix.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.json.Mappers;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.substituter.NarHash;
import dev.distrolix.nix.substituter.SubstituterStoreSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The contents of {@code image.lock.json}. Written canonically (keys in a fixed, sorted order, two-space
 * indentation, paths sorted, one trailing newline), so re-locking an unchanged spec gives the same bytes.
 * A spec with {@code platforms:} pins each platform's closure in a section of its own ({@code platforms});
 * a spec without writes its one closure at the top level.
 *
 * @param specSha256        sha256 (hex) of the spec file's bytes; a lock with another is stale
 * @param closures          one closure per platform, by Nix system; {@code multiPlatform} false: exactly one
 * @param multiPlatform     whether the spec names platforms (the lock's form, not how many there are)
 * @param substituters      binary caches, in the order they are tried
 * @param trustedPublicKeys {@code name:base64} Ed25519 keys; every path needs a signature by one of them
 */
public record ImageLock(String specSha256, List<PlatformClosure> closures, boolean multiPlatform,
                        List<String> substituters, List<String> trustedPublicKeys) {
    public static final int SCHEMA_VERSION = 1;

    public record Package(String name, String ref, List<StorePath> outputs) {
        public Package {
            outputs = List.copyOf(outputs);
        }
    }

    /** One closure path as the cache's narinfo states it ({@code references} include the path itself if it refers to itself). */
    public record LockedPath(StorePath path, NarHash narHash, long narSize, List<StorePath> references, List<String> sigs) {
        public LockedPath {
            references = List.copyOf(new TreeSet<>(references));
            sigs = List.copyOf(new TreeSet<>(sigs));
        }
    }

    /**
     * One platform's pinned closure.
     *
     * @param system   the Nix system the packages were evaluated for
     * @param packages each spec package: its name, its reference as written, its outputs
     * @param paths    the whole runtime closure, sorted by base name
     */
    public record PlatformClosure(String system, List<Package> packages, List<LockedPath> paths) {
        public PlatformClosure {
            packages = List.copyOf(packages);
            paths = paths.stream().sorted((a, b) -> a.path().compareTo(b.path())).toList();
        }
    }

    public ImageLock {
        closures = closures.stream().sorted((a, b) -> a.system().compareTo(b.system())).toList();
        if (!multiPlatform && closures.size() != 1) {
            throw new IllegalArgumentException("a lock without platforms pins one closure, not " + closures.size());
        }
        if (closures.stream().map(PlatformClosure::system).distinct().count() != closures.size()) {
            throw new IllegalArgumentException("a system is locked twice");
        }
        Map<StorePath, LockedPath> seen = new LinkedHashMap<>();
        for (PlatformClosure c : closures) {
            for (LockedPath p : c.paths()) {
                LockedPath before = seen.putIfAbsent(p.path(), p);
                if (before != null && !before.equals(p)) {
                    throw new IllegalArgumentException(p.path() + " is locked twice, differently");
                }
            }
        }
        substituters = List.copyOf(substituters);
        trustedPublicKeys = List.copyOf(trustedPublicKeys);
    }

    /** The lock of a spec without {@code platforms:}: one closure. */
    public ImageLock(String specSha256, String system, List<Package> packages, List<LockedPath> paths,
                     List<String> substituters, List<String> trustedPublicKeys) {
        this(specSha256, List.of(new PlatformClosure(system, packages, paths)), false, substituters, trustedPublicKeys);
    }

    /** The one closure of a lock without platforms (the first of one with). */
    public PlatformClosure closure() {
        return closures.get(0);
    }

    /** The closure locked for {@code nixSystem}, if any. */
    public Optional<PlatformClosure> closureFor(String nixSystem) {
        return closures.stream().filter(c -> c.system().equals(nixSystem)).findFirst();
    }

    /** The locked systems, sorted. */
    public List<String> systems() {
        return closures.stream().map(PlatformClosure::system).toList();
    }

    /** Every locked path once (a path shared by platforms is the same path), sorted. */
    public List<LockedPath> allPaths() {
        Map<StorePath, LockedPath> m = new java.util.TreeMap<>();
        closures.forEach(c -> c.paths().forEach(p -> m.putIfAbsent(p.path(), p)));
        return List.copyOf(m.values());
    }

    /** The lock of {@code specFile}: {@code image.yaml} → {@code image.lock.json} beside it. */
    public static Path fileFor(Path specFile) {
        String name = specFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return specFile.resolveSibling(stem + ".lock.json");
    }

    public static String sha256Hex(byte[] bytes) {
        return Digest.sha256(bytes).hex();
    }

    /** What the lock expects of each path, for {@link SubstituterStoreSource}. */
    public Map<StorePath, SubstituterStoreSource.Expected> expected() {
        Map<StorePath, SubstituterStoreSource.Expected> m = new LinkedHashMap<>();
        for (LockedPath p : allPaths()) {
            m.put(p.path(), new SubstituterStoreSource.Expected(p.narHash(), p.narSize(), p.references()));
        }
        return m;
    }

    public byte[] toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        if (multiPlatform) {
            ArrayNode platforms = root.putArray("platforms");
            for (PlatformClosure c : closures) {
                ObjectNode o = platforms.addObject();
                writeClosure(o, c);
                o.put("platform", dev.distrolix.nix.NixSystem.parse(c.system()).platform());
                o.put("system", c.system());
            }
        } else {
            writeClosure(root, closure());
        }
        root.put("schemaVersion", SCHEMA_VERSION);
        root.putObject("spec").put("sha256", specSha256);
        ArrayNode subs = root.putArray("substituters");
        substituters.forEach(subs::add);
        if (!multiPlatform) {
            root.put("system", closure().system());
        }
        ArrayNode keys = root.putArray("trustedPublicKeys");
        trustedPublicKeys.forEach(keys::add);
        try {
            String s = Mappers.pretty().writer(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                    .withArrayIndenter(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE
                            .withLinefeed("\n"))
                    .withObjectIndenter(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE
                            .withLinefeed("\n"))).writeValueAsString(root);
            return (s + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code packages} then {@code paths} of {@code c} into {@code o} (keys in sorted order). */
    private static void writeClosure(ObjectNode o, PlatformClosure c) {
        ArrayNode pkgs = o.putArray("packages");
        for (Package p : c.packages()) {
            ObjectNode po = pkgs.addObject();
            po.put("name", p.name());
            ArrayNode outs = po.putArray("outputs");
            p.outputs().forEach(s -> outs.add(s.fullPath()));
            po.put("ref", p.ref());
        }
        ArrayNode ps = o.putArray("paths");
        for (LockedPath p : c.paths()) {
            ObjectNode po = ps.addObject();
            po.put("narHash", p.narHash().toString());
            po.put("narSize", p.narSize());
            po.put("path", p.path().fullPath());
            ArrayNode refs = po.putArray("references");
            p.references().forEach(r -> refs.add(r.fullPath()));
            ArrayNode sigs = po.putArray("sigs");
            p.sigs().forEach(sigs::add);
        }
    }

    /** Reads {@code file}; a missing or malformed lock is an InputException that says to run {@code distrolix lock}. */
    public static ImageLock read(Path file) {
        byte[] bytes;
        try {
            bytes = dev.distrolix.SmallFiles.read(file, dev.distrolix.json.Mappers.MAX_DOCUMENT, "a lock");
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no lock file; run distrolix lock first");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the lock: " + e.getMessage(), e);
        }
        try {
            return parse(bytes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException) {
                throw (InputException) e;
            }
            // Jackson's messages run over several lines (the source excerpt): its first, so the hint stays on the line
            String why = dev.distrolix.json.JsonTrees.problem(e.getMessage());
            throw new InputException(file + ": not a valid lock (" + why + "); run distrolix lock again", e);
        }
    }

    static ImageLock parse(byte[] bytes) throws IOException {
        JsonNode root = dev.distrolix.json.JsonTrees.read(bytes);
        int version = need(root, "schemaVersion").asInt(-1);
        if (version != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion " + version + ", distrolix reads " + SCHEMA_VERSION);
        }
        List<String> subs = new ArrayList<>();
        need(root, "substituters").forEach(s -> subs.add(s.asText()));
        List<String> keys = new ArrayList<>();
        need(root, "trustedPublicKeys").forEach(s -> keys.add(s.asText()));
        String spec = need(need(root, "spec"), "sha256").asText();
        JsonNode platforms = root.get("platforms");
        if (platforms == null) {
            return new ImageLock(spec, List.of(readClosure(root)), false, subs, keys);
        }
        List<PlatformClosure> closures = new ArrayList<>();
        for (JsonNode c : platforms) {
            closures.add(readClosure(c));
        }
        if (closures.isEmpty()) {
            throw new IllegalArgumentException("'platforms' is empty");
        }
        return new ImageLock(spec, closures, true, subs, keys);
    }

    private static PlatformClosure readClosure(JsonNode root) {
        List<Package> packages = new ArrayList<>();
        for (JsonNode p : need(root, "packages")) {
            List<StorePath> outs = new ArrayList<>();
            for (JsonNode o : need(p, "outputs")) {
                outs.add(StorePath.parse(o.asText()));
            }
            packages.add(new Package(need(p, "name").asText(), need(p, "ref").asText(), outs));
        }
        List<LockedPath> paths = new ArrayList<>();
        for (JsonNode p : need(root, "paths")) {
            List<StorePath> refs = new ArrayList<>();
            for (JsonNode r : need(p, "references")) {
                refs.add(StorePath.parse(r.asText()));
            }
            List<String> sigs = new ArrayList<>();
            for (JsonNode s : need(p, "sigs")) {
                sigs.add(s.asText());
            }
            paths.add(new LockedPath(StorePath.parse(need(p, "path").asText()), NarHash.parse(need(p, "narHash").asText()),
                    need(p, "narSize").asLong(), refs, sigs));
        }
        return new PlatformClosure(need(root, "system").asText(), packages, paths);
    }

    private static JsonNode need(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("no '" + key + "'");
        }
        return v;
    }
}
