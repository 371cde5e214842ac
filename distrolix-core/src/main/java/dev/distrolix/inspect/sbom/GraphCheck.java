package dev.distrolix.inspect.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The scanned reference graph compared with the build-time graph distrolix stores in the config
 * label {@code dev.distrolix.closure.references} (see {@link dev.distrolix.image.ClosureGraphLabel}).
 * Edges are "from → to" with store path base names.
 */
public record GraphCheck(Status status, List<String> onlyInBuild, List<String> onlyScanned, List<String> pathsOnlyInBuild,
                         List<String> pathsOnlyInImage, String problem) {
    public enum Status { NO_BUILD_GRAPH, AGREES, DIFFERS, UNREADABLE_LABEL }

    public GraphCheck {
        onlyInBuild = List.copyOf(onlyInBuild);
        onlyScanned = List.copyOf(onlyScanned);
        pathsOnlyInBuild = List.copyOf(pathsOnlyInBuild);
        pathsOnlyInImage = List.copyOf(pathsOnlyInImage);
    }

    static GraphCheck noBuildGraph() {
        return new GraphCheck(Status.NO_BUILD_GRAPH, List.of(), List.of(), List.of(), List.of(), null);
    }

    static GraphCheck unreadable(String problem) {
        return new GraphCheck(Status.UNREADABLE_LABEL, List.of(), List.of(), List.of(), List.of(), problem);
    }

    static GraphCheck compare(SortedMap<String, ? extends SortedSet<String>> build,
                              SortedMap<String, ? extends SortedSet<String>> scanned) {
        List<String> onlyBuild = new ArrayList<>();
        List<String> onlyScanned = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(build.keySet());
        all.addAll(scanned.keySet());
        for (String p : all) {
            SortedSet<String> b = build.containsKey(p) ? build.get(p) : new TreeSet<>();
            SortedSet<String> s = scanned.containsKey(p) ? scanned.get(p) : new TreeSet<>();
            b.stream().filter(r -> !s.contains(r)).forEach(r -> onlyBuild.add(p + " → " + r));
            s.stream().filter(r -> !b.contains(r)).forEach(r -> onlyScanned.add(p + " → " + r));
        }
        List<String> pathsBuild = build.keySet().stream().filter(p -> !scanned.containsKey(p)).toList();
        List<String> pathsImage = scanned.keySet().stream().filter(p -> !build.containsKey(p)).toList();
        boolean same = onlyBuild.isEmpty() && onlyScanned.isEmpty() && pathsBuild.isEmpty() && pathsImage.isEmpty();
        return new GraphCheck(same ? Status.AGREES : Status.DIFFERS, onlyBuild, onlyScanned, pathsBuild, pathsImage, null);
    }

    /** One line: "graph: scanned, agrees with build-time graph" or what differs. */
    public String summary() {
        return switch (status) {
            case AGREES -> "graph: scanned, agrees with build-time graph";
            case NO_BUILD_GRAPH -> "graph: scanned (the image carries no build-time graph to check against)";
            case UNREADABLE_LABEL -> "graph: scanned; the build-time graph label is unreadable (" + problem + ")";
            default -> "graph: scanned, DIFFERS from build-time graph: " + String.join("; ", differences());
        };
    }

    /** The differences, one phrase each. */
    public List<String> differences() {
        List<String> d = new ArrayList<>();
        if (!onlyInBuild.isEmpty()) {
            d.add(onlyInBuild.size() + " edge(s) only in the build graph: " + String.join(", ", onlyInBuild));
        }
        if (!onlyScanned.isEmpty()) {
            d.add(onlyScanned.size() + " edge(s) only found by scanning: " + String.join(", ", onlyScanned));
        }
        if (!pathsOnlyInBuild.isEmpty()) {
            d.add("store paths of the build graph missing from the image: " + String.join(", ", pathsOnlyInBuild));
        }
        if (!pathsOnlyInImage.isEmpty()) {
            d.add("store paths in the image but not in the build graph: " + String.join(", ", pathsOnlyInImage));
        }
        return d;
    }
}
