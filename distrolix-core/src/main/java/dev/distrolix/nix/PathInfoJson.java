package dev.distrolix.nix;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 *
 * <p>Read as a token stream into small records, not as a JSON tree: a closure of 3,000 paths is 1.3 MB
 * of JSON, and its tree (and an ObjectMapper made for it) cost a fresh JVM ~0.1 s.
 */
public final class PathInfoJson {
    /** Nix's own output, not outside input: no read limits beyond Jackson's defaults. */
    private static final JsonFactory JSON = new JsonFactory();

    /** The valid paths with their info, and the paths Nix reported as invalid. */
    public record Parsed(List<PathInfo> infos, List<StorePath> invalid) {
        public Parsed {
            infos = List.copyOf(infos);
            invalid = List.copyOf(invalid);
        }
    }

    private PathInfoJson() {}

    /** One entry's fields that matter, as read; {@code narSize} null when absent or not a whole number. */
    private record Entry(String path, Boolean valid, Long narSize, String narHash, List<String> references,
                         boolean referencesNotArray, String storeDir, String deriver) {}

    /** A JSON null where an entry could be: an invalid path. */
    private static final Object NULL = new Object();

    /**
     * @param defaultStoreDir store directory used for base names when the JSON does not say (normally /nix/store)
     * @throws IllegalArgumentException if the text is not path-info JSON of a known shape
     */
    public static Parsed parse(String json, String defaultStoreDir) {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IllegalArgumentException("nix path-info printed nothing");
            }
            Parsed parsed = switch (t) {
                case START_ARRAY -> fromArray(p, defaultStoreDir);
                case START_OBJECT -> fromObject(p, defaultStoreDir);
                default -> throw new IllegalArgumentException("nix path-info printed JSON of an unknown shape: "
                        + t.asString());
            };
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("nix path-info printed invalid JSON: more after the document");
            }
            return parsed;
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            throw new IllegalArgumentException("nix path-info printed invalid JSON: " + m, e);
        }
    }

    /** 2.8–2.18: an array of entries that carry their path. */
    private static Parsed fromArray(JsonParser p, String storeDir) throws IOException {
        List<PathInfo> infos = new ArrayList<>();
        List<StorePath> invalid = new ArrayList<>();
        Paths paths = new Paths();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                throw new IllegalArgumentException("nix path-info: an entry has no 'path'");
            }
            Entry e = entry(p);
            if (e.path() == null) {
                throw new IllegalArgumentException("nix path-info: an entry has no 'path'");
            }
            StorePath path = paths.of(e.path(), storeDir);
            if (Boolean.FALSE.equals(e.valid())) {
                invalid.add(path);
            } else {
                infos.add(info(path, e, storeDir, paths));
            }
        }
        return new Parsed(infos, invalid);
    }

    /** 2.19 on: entries keyed by path (or, ≥2.33 formats 2/3, by base name under {@code info}). */
    private static Parsed fromObject(JsonParser p, String defaultStoreDir) throws IOException {
        Map<String, Object> top = new LinkedHashMap<>();
        Map<String, Object> info = null;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            if (key.equals("info") && t == JsonToken.START_OBJECT) {
                info = keyed(p);
                top.put(key, info);
            } else {
                top.put(key, value(p, t));
            }
        }
        List<PathInfo> infos = new ArrayList<>();
        List<StorePath> invalid = new ArrayList<>();
        Paths paths = new Paths();
        if (info != null && top.containsKey("version")) {
            String storeDir = top.get("storeDir") instanceof String d ? d : defaultStoreDir;
            collectKeyed(info, storeDir, infos, invalid, paths);
        } else {
            collectKeyed(top, defaultStoreDir, infos, invalid, paths);
        }
        return new Parsed(infos, invalid);
    }

    /** An object of entries, read after its START_OBJECT. */
    private static Map<String, Object> keyed(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            m.put(key, value(p, p.nextToken()));
        }
        return m;
    }

    /** An entry (an object), {@link #NULL}, a string, or the token of anything else (skipped). */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> entry(p);
            case VALUE_NULL -> NULL;
            case VALUE_STRING -> p.getText();
            default -> {
                p.skipChildren();
                yield t;
            }
        };
    }

    private static void collectKeyed(Map<String, Object> object, String storeDir, List<PathInfo> infos,
                                     List<StorePath> invalid, Paths paths) {
        for (Map.Entry<String, Object> f : object.entrySet()) {
            Object v = f.getValue();
            String dir = v instanceof Entry e && e.storeDir() != null ? e.storeDir() : storeDir;
            StorePath path = paths.of(f.getKey(), dir);
            if (v == NULL) {
                invalid.add(path);
            } else if (v instanceof Entry e) {
                infos.add(info(path, e, dir, paths));
            } else {
                throw new IllegalArgumentException("nix path-info: entry for " + f.getKey() + " is not an object");
            }
        }
    }

    /** The fields of one entry, read after its START_OBJECT up to its END_OBJECT. */
    private static Entry entry(JsonParser p) throws IOException {
        String path = null;
        Boolean valid = null;
        Long narSize = null;
        String narHash = null;
        List<String> refs = null;
        boolean refsNotArray = false;
        String storeDir = null;
        String deriver = null;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (key) {
                case "path" -> path = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case "valid" -> valid = t == JsonToken.VALUE_TRUE ? Boolean.TRUE
                        : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                case "narSize" -> narSize = t == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? p.getLongValue() : null;
                case "narHash" -> narHash = hash(p, t);
                case "references" -> {
                    if (t == JsonToken.START_ARRAY) {
                        refs = new ArrayList<>();
                        for (JsonToken r = p.nextToken(); r != JsonToken.END_ARRAY; r = p.nextToken()) {
                            refs.add(r == JsonToken.VALUE_STRING ? p.getText() : "");
                            p.skipChildren();
                        }
                    } else {
                        refsNotArray = t != JsonToken.VALUE_NULL;
                    }
                }
                case "storeDir" -> storeDir = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case "deriver" -> deriver = t == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> { }
            }
            p.skipChildren(); // a field's value not read above (a no-op after a scalar)
        }
        return new Entry(path, valid, narSize, narHash, refs, refsNotArray, storeDir, deriver);
    }

    /**
     * A hash as printed. Released Nix prints a string; should a future format print a structured
     * hash ({@code {"algorithm":"sha256","hash":"…"}}) it is rendered as {@code algo:hash}, or as
     * SRI {@code algo-hash} when the digest is base64, so that consumers still get one string.
     * Null when it is neither.
     */
    private static String hash(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText().isEmpty() ? null : p.getText();
        }
        if (t != JsonToken.START_OBJECT) {
            return null;
        }
        String algorithm = null;
        String digest = null;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING && key.equals("algorithm")) {
                algorithm = p.getText();
            } else if (v == JsonToken.VALUE_STRING && key.equals("hash")) {
                digest = p.getText();
            } else {
                p.skipChildren();
            }
        }
        if (algorithm == null || digest == null) {
            return null;
        }
        boolean base64 = digest.endsWith("=") || digest.contains("+") || digest.contains("/");
        return algorithm + (base64 ? "-" : ":") + digest;
    }

    private static PathInfo info(StorePath path, Entry e, String storeDir, Paths paths) {
        if (e.narSize() == null) {
            throw new IllegalArgumentException("nix path-info: no narSize for " + path);
        }
        if (e.referencesNotArray()) {
            throw new IllegalArgumentException("nix path-info: references of " + path + " is not an array");
        }
        List<StorePath> refs = new ArrayList<>();
        if (e.references() != null) {
            for (String r : e.references()) {
                refs.add(paths.of(r, storeDir));
            }
        }
        if (e.narHash() == null) {
            throw new IllegalArgumentException("nix path-info: no narHash for " + path);
        }
        return new PathInfo(path, e.narSize(), e.narHash(), refs, deriver(e.deriver(), storeDir));
    }

    /**
     * A deriver as Nix printed it (full path, or base name in {@code storeDir}), for path-info JSON and
     * {@code nix-store --dump-db} alike. Only a hint (where to read the derivation's system): empty, or one
     * that names no store path, is unknown (null), not an error.
     */
    static StorePath deriver(String deriver, String storeDir) {
        if (deriver == null || deriver.isEmpty()) {
            return null;
        }
        try {
            return toStorePath(deriver, storeDir);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Each path parsed once per document: a closure names most paths many times, as references. */
    private static final class Paths {
        private final Map<String, StorePath> parsed = new HashMap<>();

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
