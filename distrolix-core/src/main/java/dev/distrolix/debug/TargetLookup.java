package dev.distrolix.debug;

import dev.distrolix.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds the engine that runs the target: the one asked for, else podman, else Docker, whichever has it. */
final class TargetLookup {
    record Found(ContainerRuntime runtime, TargetContainer container) {
    }

    private TargetLookup() {}

    static Found find(String target, ContainerRuntime wanted) {
        String path = System.getenv("PATH");
        List<ContainerRuntime> candidates = new ArrayList<>();
        if (wanted != null) {
            if (Commands.onPath(wanted.command(), path).isEmpty()) {
                throw new DebugException(wanted.command() + " is not installed (not on PATH)");
            }
            candidates.add(wanted);
        } else {
            for (ContainerRuntime r : ContainerRuntime.values()) {
                if (Commands.onPath(r.command(), path).isPresent()) {
                    candidates.add(r);
                }
            }
            if (candidates.isEmpty()) {
                throw new DebugException("neither podman nor docker is installed (not on PATH); install one,"
                        + " or debug a pod with --kubernetes");
            }
        }
        List<String> why = new ArrayList<>();
        for (ContainerRuntime r : candidates) {
            Commands.Result res = Commands.run(r.inspect(target));
            if (res.ok()) {
                return new Found(r, TargetContainer.parseInspect(res.stdout()));
            }
            String line = res.firstLine();
            if (!line.toLowerCase(Locale.ROOT).contains("no such")) {
                why.add(r.command() + ": " + line); // the engine itself failed (e.g. no Docker daemon)
            }
        }
        if (why.size() == candidates.size()) {
            throw new DebugException("cannot look for container '" + target + "': " + String.join("; ", why));
        }
        List<String> searched = new ArrayList<>();
        for (ContainerRuntime r : candidates) {
            if (why.stream().noneMatch(w -> w.startsWith(r.command() + ":"))) {
                searched.add(r.command());
            }
        }
        throw new InputException("no container '" + target + "' in " + String.join(" or ", searched)
                + (why.isEmpty() ? "" : " (and " + String.join("; ", why) + ")"));
    }
}
