package dev.distrolix.debug;

import dev.distrolix.ToolArgs;
import java.util.List;
import java.util.Locale;

/**
 * The local container engines a sidecar can be started with. They take the same {@code run} flags
 * except where noted: Docker cannot join another container's UTS namespace ({@code --uts} knows only
 * {@code host}), and has no {@code image exists}.
 */
public enum ContainerRuntime {
    PODMAN("podman", true),
    DOCKER("docker", false);

    private final String command;
    private final boolean canShareUts;

    ContainerRuntime(String command, boolean canShareUts) {
        this.command = command;
        this.canShareUts = canShareUts;
    }

    /** The executable, looked up on PATH. */
    public String command() {
        return command;
    }

    public boolean canShareUts() {
        return canShareUts;
    }

    /** The command whose exit status says whether an image is in the local store (0 = yes). */
    public List<String> imageExists(String image) {
        ToolArgs.checkNotOption("image name", image);
        return this == PODMAN ? List.of(command, "image", "exists", image)
                : List.of(command, "image", "inspect", "--format", "{{.Id}}", image);
    }

    /** The command that prints the container as a one-element JSON array (the same shape in both engines). */
    public List<String> inspect(String container) {
        ToolArgs.checkNotOption("container name", container);
        return List.of(command, "container", "inspect", container);
    }

    /** Removes a container if it is still there; both engines accept {@code rm -f}. */
    public List<String> forceRemove(String container) {
        ToolArgs.checkNotOption("container name", container);
        return List.of(command, "rm", "-f", container);
    }

    public static ContainerRuntime parse(String name) {
        for (ContainerRuntime r : values()) {
            if (r.command.equals(name.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new dev.distrolix.InputException("unknown runtime '" + name + "' (expected podman or docker)");
    }
}
