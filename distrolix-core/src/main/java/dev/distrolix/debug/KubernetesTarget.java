package dev.distrolix.debug;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A container in a pod: {@code POD[/CONTAINER]} with an optional namespace.
 *
 * @param container null until known: without one, the pod's first container is asked from the cluster
 * @param namespace null for kubectl's current namespace
 */
public record KubernetesTarget(String pod, String container, String namespace) {
    // RFC 1123 labels/subdomains, as Kubernetes names pods, containers and namespaces
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    public KubernetesTarget {
        Objects.requireNonNull(pod, "pod");
        check("pod", pod);
        if (container != null) {
            check("container", container);
        }
        if (namespace != null) {
            check("namespace", namespace);
        }
    }

    /** kubectl's names for pods, accepted before the pod's name as in {@code kubectl debug pod/web}. */
    private static final java.util.Set<String> POD_TYPES = java.util.Set.of("pod", "pods", "po");

    /** Other kubectl resource types: {@code deploy/web} names a deployment, which has no one container to join. */
    private static final java.util.Set<String> OTHER_TYPES = java.util.Set.of(
            "deploy", "deployment", "deployments", "deployment.apps", "sts", "statefulset", "statefulsets",
            "ds", "daemonset", "daemonsets", "rs", "replicaset", "replicasets", "rc", "replicationcontroller",
            "replicationcontrollers", "job", "jobs", "cronjob", "cronjobs", "cj", "svc", "service", "services",
            "node", "nodes", "no");

    /**
     * {@code POD[/CONTAINER]}, or kubectl's {@code TYPE/NAME} form for pods: {@code pod/web}, {@code pods/web},
     * {@code po/web} (then {@code pod/web/nginx} names a container). A pod whose name is one of those words
     * is written {@code pod/pod/CONTAINER}. Other types ({@code deploy/web}, {@code svc/web}) are refused:
     * {@code kubectl debug} joins one running container, so name a pod of theirs.
     */
    public static KubernetesTarget parse(String target, String namespace) {
        String rest = target;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String type = rest.substring(0, slash);
            if (POD_TYPES.contains(type)) {
                rest = rest.substring(slash + 1);
            } else if (OTHER_TYPES.contains(type.toLowerCase(java.util.Locale.ROOT))) {
                String name = rest.substring(slash + 1);
                throw new dev.distrolix.InputException("--kubernetes " + target + ": debug joins a container of a pod, not of a "
                        + type + "; name one of its pods (kubectl get pods" + (namespace == null ? "" : " -n " + namespace)
                        + "), e.g. --kubernetes pod/" + (name.isEmpty() ? "NAME" : name) + "-xxxxx");
            }
        }
        slash = rest.indexOf('/');
        if (slash < 0) {
            return new KubernetesTarget(rest, null, namespace);
        }
        return new KubernetesTarget(rest.substring(0, slash), rest.substring(slash + 1), namespace);
    }

    public KubernetesTarget withContainer(String name) {
        return new KubernetesTarget(pod, name, namespace);
    }

    private static void check(String what, String value) {
        if (value.length() > 253 || !NAME.matcher(value).matches()) {
            throw new dev.distrolix.InputException("invalid " + what + " name '" + value
                    + "' (lower-case letters, digits, '-' and '.'; expected [pod/]POD[/CONTAINER])");
        }
    }

    @Override
    public String toString() {
        return (namespace == null ? "" : namespace + "/") + pod + (container == null ? "" : "/" + container);
    }
}
