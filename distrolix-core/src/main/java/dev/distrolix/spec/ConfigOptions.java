package dev.distrolix.spec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The {@code config:} section of an {@link ImageSpecBuilder}; every string is a template. */
public final class ConfigOptions {
    final Map<String, SpecNode> keys = new LinkedHashMap<>();
    private final Map<String, SpecNode> env = new LinkedHashMap<>();
    private final Map<String, SpecNode> labels = new LinkedHashMap<>();

    ConfigOptions() {
    }

    public ConfigOptions entrypoint(String... argv) {
        keys.put("entrypoint", strings(argv));
        return this;
    }

    public ConfigOptions cmd(String... argv) {
        keys.put("cmd", strings(argv));
        return this;
    }

    /** One environment variable; variables keep the order they were added in. */
    public ConfigOptions env(String name, String value) {
        env.put(Objects.requireNonNull(name, "name"), SpecNodes.str(value));
        keys.put("env", SpecNodes.map(env));
        return this;
    }

    public ConfigOptions workingDir(String dir) {
        keys.put("working-dir", SpecNodes.str(dir));
        return this;
    }

    /** {@code NAME}, {@code UID}, {@code USER:GROUP} or {@code UID:GID}. */
    public ConfigOptions user(String user) {
        keys.put("user", SpecNodes.str(user));
        return this;
    }

    /** {@code 80}, {@code 80/tcp}, {@code 53/udp}. */
    public ConfigOptions exposedPorts(String... ports) {
        keys.put("exposed-ports", strings(ports));
        return this;
    }

    public ConfigOptions volumes(String... volumes) {
        keys.put("volumes", strings(volumes));
        return this;
    }

    public ConfigOptions label(String key, String value) {
        labels.put(Objects.requireNonNull(key, "key"), SpecNodes.str(value));
        keys.put("labels", SpecNodes.map(labels));
        return this;
    }

    public ConfigOptions stopSignal(String signal) {
        keys.put("stop-signal", SpecNodes.str(signal));
        return this;
    }

    private static SpecNode strings(String... values) {
        return SpecNodes.list(Arrays.stream(values).map(SpecNodes::str).toList());
    }
}
