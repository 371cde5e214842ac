package dev.distrolix.debug;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the exact command lines that start a sidecar: pure functions of the target and the options,
 * so what {@code --dry-run} prints is what runs, and every flag is unit-tested.
 */
public final class SidecarCommands {
    /** Label put on every sidecar: its value is the target's name, so leftovers are easy to find. */
    public static final String LABEL = "dev.distrolix.debug.target";

    private SidecarCommands() {}

    /**
     * {@code podman|docker run --rm -i [-t] …} joining the target's pid and network namespaces, and its
     * IPC namespace when the target allows it and its UTS namespace where the engine can.
     */
    public static List<String> containerRun(ContainerRuntime runtime, TargetContainer target, Sidecar s) {
        List<String> argv = new ArrayList<>(List.of(runtime.command(), "run", "--rm", "-i"));
        if (s.tty()) {
            argv.add("-t");
        }
        argv.add("--name=" + s.name());
        argv.add("--label=" + LABEL + "=" + target.name());
        if (s.builtLocally()) {
            argv.add("--pull=never");
        }
        String join = "container:" + target.name();
        argv.add("--pid=" + join);
        argv.add("--network=" + join);
        if (target.ipcShareable()) {
            argv.add("--ipc=" + join);
        }
        if (runtime.canShareUts()) {
            argv.add("--uts=" + join);
        }
        if (s.ptrace()) {
            argv.add("--cap-add=SYS_PTRACE");
        }
        if (s.privileged()) {
            argv.add("--cap-add=SYS_ADMIN");
        }
        if (s.user() != null) {
            argv.add("--user=" + s.user().flag());
        }
        argv.add("--env=TARGET_ROOT=" + SidecarScript.TARGET_ROOT);
        if (!s.builtLocally()) {
            argv.add("--entrypoint=sh"); // another image may have an entrypoint of its own
            argv.add(s.image());
            List<String> sh = s.shellCommand();
            argv.addAll(sh.subList(1, sh.size()));
        } else {
            argv.add(s.image());
            argv.addAll(s.shellCommand());
        }
        return argv;
    }

    /**
     * {@code kubectl debug POD -i [-t] --image=… --target=CONTAINER --profile=…}: an ephemeral container in
     * the target container's namespaces. The profile decides the capabilities (general: SYS_PTRACE).
     */
    public static List<String> kubectlDebug(KubernetesTarget target, Sidecar s, String profile) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "debug", target.pod()));
        if (target.namespace() != null) {
            argv.add("--namespace=" + target.namespace());
        }
        argv.add("-i");
        if (s.tty()) {
            argv.add("-t");
        }
        argv.add("--container=" + s.name());
        argv.add("--image=" + s.image());
        argv.add("--target=" + target.container());
        argv.add("--profile=" + profile);
        argv.add("--env=TARGET_ROOT=" + SidecarScript.TARGET_ROOT);
        argv.add("--");
        argv.addAll(s.shellCommand());
        return argv;
    }
}
