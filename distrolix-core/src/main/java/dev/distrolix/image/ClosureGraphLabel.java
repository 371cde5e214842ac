package dev.distrolix.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.nix.Closure;
import dev.distrolix.nix.StorePath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The closure's reference graph as Nix recorded it at build time, carried in a config label so
 * that {@code distrolix sbom} can check the graph it reconstructs from file contents against it.
 * A label (rather than a file) leaves the image's file list untouched, and survives every transport
 * (docker-archive keeps the config bytes, but not manifest annotations).
 *
 * <p>Value: compact JSON {@code {"<hash>-<name>":["<hash>-<name>",…],…}}: one key per store path
 * of the closure, with its direct references (self excluded). Keys and lists are ordered by name,
 * then hash, so that two builds whose closures differ only by rebuilt paths give labels that
 * differ only by those base names (a diff that maps renamed store paths sees no change).
 */
public final class ClosureGraphLabel {
    /** The config label holding the graph. */
    public static final String LABEL = "dev.distrolix.closure.references";

    private ClosureGraphLabel() {}

    /** The label's value for a closure. */
    public static String encode(Closure closure) {
        // Written directly, not as a JSON tree: a closure of thousands of paths is encoded in a fresh JVM, where a
        // sorted stream per path and the tree's writer ran interpreted (~28 ms for 3,001 paths). Store path names
        // are [A-Za-z0-9+-._?=] after a base-32 hash (StorePath checks): nothing in them is escaped in JSON, so the
        // text is the compact JSON a writer gives. References are sorted as their paths are, by position.
        List<StorePath> paths = new ArrayList<>(closure.paths());
        paths.sort(StorePath::compareByName);
        Map<StorePath, Integer> position = new HashMap<>(paths.size() * 2);
        for (int i = 0; i < paths.size(); i++) {
            position.put(paths.get(i), i);
        }
        StringBuilder json = new StringBuilder(paths.size() * 128);
        json.append('{');
        for (int i = 0; i < paths.size(); i++) {
            StorePath p = paths.get(i);
            if (i > 0) {
                json.append(',');
            }
            appendName(json, p).append(":[");
            List<StorePath> references = closure.info(p).references();
            int[] order = new int[references.size()];
            for (int j = 0; j < order.length; j++) {
                order[j] = position.get(references.get(j)); // a closure holds every path it references
            }
            Arrays.sort(order);
            for (int j = 0; j < order.length; j++) {
                if (j > 0) {
                    json.append(',');
                }
                appendName(json, paths.get(order[j]));
            }
            json.append(']');
        }
        return json.append('}').toString();
    }

    private static StringBuilder appendName(StringBuilder json, StorePath p) {
        return json.append('"').append(p.hashPart()).append('-').append(p.name()).append('"');
    }

    /** Store path base name → base names of its references (sorted); IllegalArgumentException if malformed. */
    public static SortedMap<String, TreeSet<String>> decode(String value) {
        JsonNode root;
        try {
            root = dev.distrolix.json.JsonTrees.read(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("label " + LABEL + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("label " + LABEL + " is not a JSON object");
        }
        Map<String, String> byHash = new TreeMap<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String base = it.next();
            byHash.put(StorePath.fromBaseName(StorePath.DEFAULT_STORE_DIR, base).hashPart(), base);
        }
        SortedMap<String, TreeSet<String>> out = new TreeMap<>();
        for (String base : byHash.values()) {
            TreeSet<String> refs = new TreeSet<>();
            for (JsonNode r : root.get(base)) {
                String text = r.asText();
                String ref = byHash.get(text.length() > 32 ? text.substring(0, 32) : text); // base name or hash part
                if (ref == null) {
                    throw new IllegalArgumentException("label " + LABEL + ": " + base + " references "
                            + r.asText() + ", which the graph does not list");
                }
                refs.add(ref);
            }
            out.put(base, refs);
        }
        return out;
    }

    /** A copy of {@code config} with the label added (replacing one of the same name). */
    public static ContainerConfig withLabel(ContainerConfig config, Closure closure) {
        SortedMap<String, String> labels = new TreeMap<>(config.labels());
        labels.put(LABEL, encode(closure));
        return new ContainerConfig(config.user(), config.exposedPorts(), config.env(), config.entrypoint(),
                config.cmd(), config.volumes(), config.workingDir(), labels, config.stopSignal());
    }
}
