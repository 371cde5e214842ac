package dev.distrolix.debug;

import java.util.ArrayList;
import java.util.List;

/** The checks before {@code kubectl debug}: kubectl is there, it has a cluster, the pod's first container. */
final class Kubectl {
    private Kubectl() {}

    static void checkUsable() {
        if (Commands.onPath("kubectl", System.getenv("PATH")).isEmpty()) {
            throw new DebugException("kubectl is not installed (not on PATH): install it to debug pods,"
                    + " or print the command with --dry-run");
        }
        Commands.Result ctx = Commands.run(List.of("kubectl", "config", "current-context"));
        if (!ctx.ok() || ctx.stdout().isBlank()) {
            throw new DebugException("kubectl has no cluster to talk to (" + ctx.firstLine()
                    + "); set a context (kubectl config use-context NAME) or KUBECONFIG");
        }
    }

    static String firstContainer(KubernetesTarget k) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "get", "pod", k.pod()));
        if (k.namespace() != null) {
            argv.add("--namespace=" + k.namespace());
        }
        argv.add("--output=jsonpath={.spec.containers[0].name}");
        Commands.Result r = Commands.run(argv);
        if (!r.ok() || r.stdout().isBlank()) {
            throw new dev.distrolix.InputException("cannot find pod " + k + ": " + r.firstLine());
        }
        return r.stdout().strip();
    }
}
