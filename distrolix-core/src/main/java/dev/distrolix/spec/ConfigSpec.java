package dev.distrolix.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OCI image config ({@code config:} section). Strings are templates since they may mention package
 * paths; keys of env and labels are plain strings. Exposed ports are normalised to {@code N/proto} when the
 * spec is loaded, so their templates are literals.
 *
 * @param env    in file order
 * @param labels in file order
 */
public record ConfigSpec(
        List<Template> entrypoint,
        List<Template> cmd,
        Map<String, Template> env,
        Optional<Template> workingDir,
        Optional<Template> user,
        List<Template> exposedPorts,
        List<Template> volumes,
        Map<String, Template> labels,
        Optional<String> stopSignal) {

    public static final ConfigSpec EMPTY = new ConfigSpec(List.of(), List.of(), Map.of(), Optional.empty(),
            Optional.empty(), List.of(), List.of(), Map.of(), Optional.empty());

    public ConfigSpec {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = OrderedMaps.copyOf(env);
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(user, "user");
        exposedPorts = List.copyOf(exposedPorts);
        volumes = List.copyOf(volumes);
        labels = OrderedMaps.copyOf(labels);
        Objects.requireNonNull(stopSignal, "stopSignal");
    }
}
