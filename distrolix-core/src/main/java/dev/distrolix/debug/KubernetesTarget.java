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

    public static KubernetesTarget parse(String podSlashContainer, String namespace) {
        int slash = podSlashContainer.indexOf('/');
        if (slash < 0) {
            return new KubernetesTarget(podSlashContainer, null, namespace);
        }
        return new KubernetesTarget(podSlashContainer.substring(0, slash), podSlashContainer.substring(slash + 1),
                namespace);
    }

    public KubernetesTarget withContainer(String name) {
        return new KubernetesTarget(pod, name, namespace);
    }

    private static void check(String what, String value) {
        if (value.length() > 253 || !NAME.matcher(value).matches()) {
            throw new dev.distrolix.InputException("invalid " + what + " name '" + value
                    + "' (lower-case letters, digits, '-' and '.'; expected POD[/CONTAINER])");
        }
    }

    @Override
    public String toString() {
        return (namespace == null ? "" : namespace + "/") + pod + (container == null ? "" : "/" + container);
    }
}
