package dev.distrolix.debug;

import java.util.List;
import java.util.Optional;

/**
 * What {@code distrolix debug} will do: the exact command line that starts the sidecar, and whether the
 * toolkit must be built (or pushed) first. Close it to remove the toolkit spec's temporary folder.
 *
 * @param runtime  the local engine, or empty for Kubernetes
 * @param argv     the command that starts the sidecar (what --dry-run prints)
 * @param sidecar  the sidecar's name: how a leftover one is found and removed
 * @param build    the toolkit build that must happen first, if any
 * @param notes    lines for the user about what was decided (stderr)
 */
public record DebugPlan(Optional<ContainerRuntime> runtime, List<String> argv, String sidecar,
                        Optional<ToolkitBuild> build, List<String> notes) implements AutoCloseable {
    public DebugPlan {
        argv = List.copyOf(argv);
        notes = List.copyOf(notes);
    }

    /** The command line as a shell would take it. */
    public String commandLine() {
        return ShellWords.join(argv);
    }

    @Override
    public void close() {
        build.ifPresent(b -> b.toolkit().close());
    }

    /**
     * A toolkit image to build before starting.
     *
     * @param target where the build writes: {@code podman:…}, {@code docker:…} or a registry
     */
    public record ToolkitBuild(Toolkit.Prepared toolkit, String target, List<String> packages) {
        public ToolkitBuild {
            packages = List.copyOf(packages);
        }
    }
}
