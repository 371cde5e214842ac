/**
 * Debugging shell-less containers from a sidecar: {@code distrolix debug CONTAINER [-- COMMAND]}.
 *
 * <h2>Flow</h2>
 * <pre>{@code
 * DebugSession s = DebugSession.container("web").includes(List.of("nixpkgs=testing/debian-pkgs")).command(List.of("ps"));
 * try (DebugPlan plan = s.plan()) {          // looks only: inspect, Nix resolution, "image exists"
 *     plan.commandLine();                     // the exact podman/docker/kubectl command (--dry-run)
 *     int status = s.run(plan, SidecarRunner.Stdio.inherit(), System.err::println);
 * }
 * }</pre>
 * Planning is pure where it can be: {@link dev.distrolix.debug.SidecarCommands} turns a
 * {@link dev.distrolix.debug.TargetContainer} and a {@link dev.distrolix.debug.Sidecar} into the command line,
 * {@link dev.distrolix.debug.SidecarScript} is what the sidecar's sh runs. {@link dev.distrolix.debug.SidecarRunner}
 * is the small part that runs things.
 *
 * <h2>The sidecar</h2>
 * <ul>
 *   <li>Joins the target's pid and network namespaces; its IPC namespace when the target's is "shareable"; its
 *       UTS namespace on podman (Docker's {@code --uts} only knows {@code host}).</li>
 *   <li>Runs as the user of the target's main process (uid:gid read from this machine's {@code /proc/PID}, checked
 *       to be the container's by its cgroup path, mapped through the process's uid_map/gid_map; else the
 *       configured user when it is root or UID:GID). Same user: {@code /proc/1/root} opens even without
 *       CAP_SYS_PTRACE, and the sidecar may write what the target may write.</li>
 *   <li>Gets CAP_SYS_PTRACE (strace, gdb, and {@code /proc/PID/root} of another user's process), CAP_SYS_ADMIN only
 *       with {@code --privileged}; {@code --no-ptrace} leaves the first out.</li>
 *   <li>{@code TARGET_ROOT=/proc/1/root}: in the shared pid namespace the target's main process is pid 1. (A target
 *       that itself shares another container's or the host's pid namespace has that one's init as pid 1.)</li>
 *   <li>Runs {@code sh -c 'CHECK; exec sh -c "$0"' 'COMMAND'}: CHECK stops with one line and status 3 when the
 *       sidecar cannot follow {@code $TARGET_ROOT} (a user mismatch without CAP_SYS_PTRACE), naming both uids.
 *       COMMAND's words are joined with spaces and run by the sidecar's sh, as ssh does: {@code $TARGET_ROOT},
 *       pipes and globs are the sidecar's. Without COMMAND, {@code exec sh}: interactive on a terminal, reading
 *       a script from stdin otherwise.</li>
 *   <li>Removed on exit by the engine's {@code --rm}; if distrolix is interrupted, a shutdown hook stops the
 *       engine client and removes the container by name ({@code distrolix-debug-TARGET-XXXXXX}, labelled
 *       {@code dev.distrolix.debug.target=TARGET}).</li>
 * </ul>
 *
 * <h2>The toolkit</h2>
 * {@code toolkit.yaml} beside this class: busybox under {@code /opt/busybox} and the other packages (strace)
 * linked into / ahead of it on PATH, built with {@link dev.distrolix.build.ImageBuild} from {@code <nixpkgs>} or
 * the {@code -I} package set (without nixpkgs: {@code -I nixpkgs=testing/debian-pkgs}), loaded into the engine as
 * {@code localhost/distrolix-toolkit:KEY}, KEY hashed from the spec and the resolved store paths, and run with
 * {@code --pull=never}. {@code podman image exists} (Docker: {@code image inspect}) finds it the next time: no
 * rebuild. {@code --packages} makes another spec (busybox stays); {@code --image REF} uses any image with a sh
 * (started with {@code --entrypoint=sh}, pulled by the engine if it must).
 *
 * <h2>Never touching the target</h2>
 * Nothing is copied into the target, nothing is mounted into its mount namespace: the sidecar only looks through
 * {@code /proc/1/root}. Its own {@code /nix/store} is its image's, in its own mount namespace. {@code docker debug}
 * claims {@code /nix} for its own toolbox, and cdebug deletes the target's {@code /nix} when its toolkit comes from
 * Nixery: with a Nix-built target, both collide with the target's own store. The tests compare {@code podman diff}
 * and the target's mountinfo before and after a session.
 *
 * <h2>Kubernetes</h2>
 * {@code kubectl debug POD -i --image=IMG --target=CONTAINER --profile=general --env=TARGET_ROOT=/proc/1/root --
 * sh -c …}: an ephemeral container, which the pod keeps (stopped) after COMMAND ends. The image must be pullable
 * by the cluster: {@code --image}, or {@code --push REGISTRY/REPO} once {@link dev.distrolix.transport.ImageReference}
 * parses {@code docker://} (until then {@link dev.distrolix.debug.ToolkitPush} refuses with one line; once it
 * parses, the plan builds the toolkit to that target with no change here).
 */
package dev.distrolix.debug;
