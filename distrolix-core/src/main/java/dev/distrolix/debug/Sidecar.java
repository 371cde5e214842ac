package dev.distrolix.debug;

import java.util.List;
import java.util.Objects;

/**
 * What to start next to the target, whatever the runtime.
 *
 * @param name       the sidecar container's name (also how a leftover one is found and removed)
 * @param image      the toolkit image
 * @param builtLocally whether {@code image} is distrolix's local toolkit: the engine must then never try to pull it
 * @param user       the sidecar's user; null where the runtime picks it (Kubernetes)
 * @param ptrace     add CAP_SYS_PTRACE (strace, gdb, and /proc/PID/root of another user's process)
 * @param privileged add CAP_SYS_ADMIN too (nsenter, mount, perf)
 * @param command    COMMAND's words, empty for an interactive shell
 * @param tty        allocate a terminal (the user is at one)
 */
public record Sidecar(String name, String image, boolean builtLocally, SidecarUser user, boolean ptrace,
                      boolean privileged, List<String> command, boolean tty) {
    public Sidecar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        // positional on podman/docker run (kubectl gets --image=…, but one check for both)
        dev.distrolix.ToolArgs.checkNotOption("container name", name);
        dev.distrolix.ToolArgs.checkNotOption("image name", image);
        command = List.copyOf(command);
    }

    /** The container command: {@code sh -c SCRIPT [COMMAND]}, see {@link SidecarScript}. */
    public List<String> shellCommand() {
        return SidecarScript.command(command);
    }
}
