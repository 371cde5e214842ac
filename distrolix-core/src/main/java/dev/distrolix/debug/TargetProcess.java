package dev.distrolix.debug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The target's main process read from this machine's /proc, to learn the user it really runs as
 * (its configuration may name a user by name, or an entrypoint may have switched users). Used only
 * when the process is provably the target's: its cgroup path names the container's id, so a remote
 * engine's pid that happens to exist here is never mistaken for it.
 */
final class TargetProcess {
    private TargetProcess() {}

    /** The user of the target's main process, in the container's user namespace, if this machine can see it. */
    static Optional<SidecarUser> user(TargetContainer target, Path proc) {
        if (target.pid() <= 0) {
            return Optional.empty();
        }
        Path dir = proc.resolve(Long.toString(target.pid()));
        try {
            String cgroup = Files.readString(dir.resolve("cgroup"), StandardCharsets.UTF_8);
            if (!cgroup.contains(target.id())) {
                return Optional.empty();
            }
            return Optional.of(SidecarUser.fromProc(
                    Files.readString(dir.resolve("status"), StandardCharsets.UTF_8),
                    Files.readString(dir.resolve("uid_map"), StandardCharsets.UTF_8),
                    Files.readString(dir.resolve("gid_map"), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // not visible from here (another machine, a VM): the caller falls back
        }
    }
}
