package dev.distrolix.nix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the output of {@code nix path-info --json}, whose shape has changed across Nix versions
 * (see formats.md §2):
 * <ul>
 *   <li>2.8–2.18: an array of objects carrying {@code path}; invalid paths have {@code "valid": false};</li>
 *   <li>2.19–2.32, and ≥2.33 {@code --json-format 1}: an object keyed by full store path, values
 *       {@code null} for invalid paths (≥2.33 adds {@code version}/{@code storeDir} per entry);</li>
 *   <li>≥2.33 {@code --json-format 2/3}: {@code {"version":…, "storeDir":…, "info":{<base name>:…}}}
 *       with base names as keys and in {@code references}.</li>
 * </ul>
 * References may be full paths or base names in any shape; self-references are dropped (by
 * {@link PathInfo}). {@code narHash} is kept exactly as Nix printed it (SRI, nix32 or hex).
 */
public final class PathInfoJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The valid paths with their info, and the paths Nix reported as invalid. */
    public record Parsed(List<PathInfo> infos, List<StorePath> invalid) {
        public Parsed {
            infos = List.copyOf(infos);
            invalid = List.copyOf(invalid);
        }
    }

    private PathInfoJson() {}

    /**
     * @param defaultStoreDir store directory used for base names when the JSON does not say (normally /nix/store)
     * @throws IllegalArgumentException if the text is not path-info JSON of a known shape
     */
    public static Parsed parse(String json, String defaultStoreDir) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("nix path-info printed invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("nix path-info printed nothing");
        }
        List<PathInfo> infos = new ArrayList<>();
        List<StorePath> invalid = new ArrayList<>();
        Paths paths = new Paths();
        if (root.isArray()) {
            for (JsonNode entry : root) {
                StorePath path = paths.of(text(entry, "path"), defaultStoreDir);
                if (entry.path("valid").isBoolean() && !entry.get("valid").asBoolean()) {
                    invalid.add(path);
                } else {
                    infos.add(info(path, entry, defaultStoreDir, paths));
                }
            }
        } else if (root.isObject() && root.path("info").isObject() && root.has("version")) {
            String storeDir = root.path("storeDir").isTextual() ? root.get("storeDir").asText() : defaultStoreDir;
            collectKeyed(root.get("info"), storeDir, infos, invalid, paths);
        } else if (root.isObject()) {
            collectKeyed(root, defaultStoreDir, infos, invalid, paths);
        } else {
            throw new IllegalArgumentException("nix path-info printed JSON of an unknown shape: " + root.getNodeType());
        }
        return new Parsed(infos, invalid);
    }

    private static void collectKeyed(JsonNode object, String storeDir, List<PathInfo> infos, List<StorePath> invalid,
                                     Paths paths) {
        for (Map.Entry<String, JsonNode> f : object.properties()) {
            JsonNode entry = f.getValue();
            String dir = entry != null && entry.path("storeDir").isTextual() ? entry.get("storeDir").asText() : storeDir;
            StorePath path = paths.of(f.getKey(), dir);
            if (entry == null || entry.isNull()) {
                invalid.add(path);
            } else if (!entry.isObject()) {
                throw new IllegalArgumentException("nix path-info: entry for " + f.getKey() + " is not an object");
            } else {
                infos.add(info(path, entry, dir, paths));
            }
        }
    }

    private static PathInfo info(StorePath path, JsonNode entry, String storeDir, Paths paths) {
        JsonNode size = entry.get("narSize");
        if (size == null || !size.canConvertToLong()) {
            throw new IllegalArgumentException("nix path-info: no narSize for " + path);
        }
        List<StorePath> refs = new ArrayList<>();
        JsonNode references = entry.get("references");
        if (references != null && !references.isNull()) {
            if (!references.isArray()) {
                throw new IllegalArgumentException("nix path-info: references of " + path + " is not an array");
            }
            for (JsonNode r : references) {
                refs.add(paths.of(r.asText(), storeDir));
            }
        }
        return new PathInfo(path, size.asLong(), narHash(path, entry.get("narHash")), refs);
    }

    /**
     * A hash as printed. Released Nix prints a string; should a future format print a structured
     * hash ({@code {"algorithm":"sha256","hash":"…"}}) it is rendered as {@code algo:hash}, or as
     * SRI {@code algo-hash} when the digest is base64, so that consumers still get one string.
     */
    private static String narHash(StorePath path, JsonNode hash) {
        if (hash != null && hash.isTextual() && !hash.asText().isEmpty()) {
            return hash.asText();
        }
        if (hash != null && hash.isObject() && hash.path("algorithm").isTextual() && hash.path("hash").isTextual()) {
            String digest = hash.get("hash").asText();
            boolean base64 = digest.endsWith("=") || digest.contains("+") || digest.contains("/");
            return hash.get("algorithm").asText() + (base64 ? "-" : ":") + digest;
        }
        throw new IllegalArgumentException("nix path-info: no narHash for " + path);
    }

    private static String text(JsonNode entry, String field) {
        JsonNode n = entry.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("nix path-info: an entry has no '" + field + "'");
        }
        return n.asText();
    }

    /** Each path parsed once per document: a closure names most paths many times, as references. */
    private static final class Paths {
        private final Map<String, StorePath> parsed = new java.util.HashMap<>();

        StorePath of(String pathOrBaseName, String storeDir) {
            String key = pathOrBaseName.startsWith("/") ? pathOrBaseName : storeDir + "/" + pathOrBaseName;
            StorePath p = parsed.get(key);
            if (p == null) {
                p = toStorePath(pathOrBaseName, storeDir);
                parsed.put(key, p);
            }
            return p;
        }
    }

    /** Full paths are parsed as such; anything else is a base name within {@code storeDir}. */
    static StorePath toStorePath(String pathOrBaseName, String storeDir) {
        return pathOrBaseName.startsWith("/")
                ? StorePath.parse(pathOrBaseName)
                : StorePath.fromBaseName(storeDir, pathOrBaseName);
    }
}
