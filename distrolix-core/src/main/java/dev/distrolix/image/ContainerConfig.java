package dev.distrolix.image;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The runtime part of an image config (the {@code config} object: User, Env, Entrypoint, …).
 *
 * <p>Absent values are {@code null} for strings and <em>empty</em> for collections; both are
 * omitted from the JSON. An empty Entrypoint/Cmd therefore means "absent": for a FROM-scratch
 * image, where nothing is inherited, the two are the same thing to a runtime.
 *
 * <p>Exposed ports are normalized to {@code port/proto} ("80" becomes "80/tcp", as Docker does)
 * and kept sorted, like volumes and labels, so equal configs give equal bytes.
 */
public record ContainerConfig(String user, SortedSet<String> exposedPorts, List<String> env,
                              List<String> entrypoint, List<String> cmd, SortedSet<String> volumes,
                              String workingDir, SortedMap<String, String> labels, String stopSignal) {
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp|sctp))?");
    private static final ContainerConfig EMPTY = builder().build();

    public ContainerConfig {
        exposedPorts = sortedSet(exposedPorts == null ? List.of() : exposedPorts.stream().map(ContainerConfig::port).toList());
        env = copy(env);
        for (String e : env) {
            if (e.indexOf('=') <= 0) {
                throw new IllegalArgumentException("env entry must be KEY=VALUE: '" + e + "'");
            }
        }
        entrypoint = copy(entrypoint);
        cmd = copy(cmd);
        volumes = sortedSet(volumes == null ? List.of() : volumes);
        labels = CanonicalJson.sortedCopy(labels);
        user = blankToNull(user);
        workingDir = blankToNull(workingDir);
        stopSignal = blankToNull(stopSignal);
    }

    public static ContainerConfig empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when nothing is set; the config object is then left out of the image config. */
    public boolean isEmpty() {
        // field by field, not equals(EMPTY): a record's generated equals is linked on first call through method
        // handles that the JVM's start-up archives do not keep (~10 ms)
        return Objects.equals(user, EMPTY.user) && Objects.equals(exposedPorts, EMPTY.exposedPorts)
                && Objects.equals(env, EMPTY.env) && Objects.equals(entrypoint, EMPTY.entrypoint)
                && Objects.equals(cmd, EMPTY.cmd) && Objects.equals(volumes, EMPTY.volumes)
                && Objects.equals(workingDir, EMPTY.workingDir) && Objects.equals(labels, EMPTY.labels)
                && Objects.equals(stopSignal, EMPTY.stopSignal);
    }

    static String port(String p) {
        var m = PORT.matcher(Objects.requireNonNull(p, "port"));
        if (!m.matches() || Integer.parseInt(m.group(1)) > 65535) {
            throw new IllegalArgumentException("exposed port must be PORT[/tcp|/udp|/sctp]: '" + p + "'");
        }
        return Integer.parseInt(m.group(1)) + "/" + (m.group(2) == null ? "tcp" : m.group(2));
    }

    private static List<String> copy(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    private static SortedSet<String> sortedSet(Collection<String> c) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(c));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Mutable builder, because nine positional record components are easy to mix up. */
    public static final class Builder {
        private String user;
        private final TreeSet<String> exposedPorts = new TreeSet<>();
        private List<String> env = List.of();
        private List<String> entrypoint = List.of();
        private List<String> cmd = List.of();
        private final TreeSet<String> volumes = new TreeSet<>();
        private String workingDir;
        private final TreeMap<String, String> labels = new TreeMap<>();
        private String stopSignal;

        private Builder() {}

        public Builder user(String v) { user = v; return this; }

        public Builder exposedPort(String v) { exposedPorts.add(v); return this; }

        public Builder env(List<String> v) { env = v; return this; }

        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }

        public Builder cmd(List<String> v) { cmd = v; return this; }

        public Builder volume(String v) { volumes.add(v); return this; }

        public Builder workingDir(String v) { workingDir = v; return this; }

        public Builder label(String k, String v) { labels.put(k, v); return this; }

        public Builder labels(Map<String, String> v) { labels.putAll(v); return this; }

        public Builder stopSignal(String v) { stopSignal = v; return this; }

        public ContainerConfig build() {
            return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
                    stopSignal);
        }
    }
}
