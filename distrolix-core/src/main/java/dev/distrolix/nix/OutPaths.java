package dev.distrolix.nix;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The out paths a Nix build printed; a build that printed none failed, whatever its exit status said. */
final class OutPaths {
    private OutPaths() {
    }

    /** The outputs {@code nix build --json} lists (Nix before 2.9 has no {@code --print-out-paths}). */
    static List<StorePath> fromJson(String command, ProcessRunner.Result r) {
        Set<StorePath> out = new LinkedHashSet<>();
        try {
            for (JsonNode built : dev.distrolix.json.JsonTrees.read(r.stdout())) {
                built.path("outputs").forEach(p -> out.add(StorePath.parse(p.asText())));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new NixException(r.command(), command + " --json printed unexpected output: " + e.getMessage(), e);
        }
        return requireSome(command, List.copyOf(out), r);
    }

    /** The store paths a build printed, one per line (other lines ignored). */
    static List<StorePath> fromLines(String command, ProcessRunner.Result r) {
        Set<StorePath> out = new LinkedHashSet<>();
        for (String line : r.stdout().split("\n")) {
            String t = line.strip();
            if (StorePath.isStorePath(t)) {
                out.add(StorePath.parse(t));
            }
        }
        return requireSome(command, List.copyOf(out), r);
    }

    private static List<StorePath> requireSome(String command, List<StorePath> paths, ProcessRunner.Result r) {
        if (paths.isEmpty()) {
            throw new NixException(r.command(), command + " succeeded but printed no store path", r.stderr());
        }
        return paths;
    }
}
