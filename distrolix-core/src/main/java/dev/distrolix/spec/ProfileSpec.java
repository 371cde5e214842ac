package dev.distrolix.spec;

import java.util.List;
import java.util.Objects;

/**
 * A buildEnv-style profile: the top-level directories of {@code packages} ({@code bin}, {@code lib}, …) are
 * linked into {@code prefix}. A prefix of "/" gives the layout of dockerTools' {@code contents}.
 *
 * @param packages package names, all declared, in the order given (all packages when the spec lists none)
 */
public record ProfileSpec(String prefix, List<String> packages) {
    public static final String DEFAULT_PREFIX = "/";

    public ProfileSpec {
        Objects.requireNonNull(prefix, "prefix");
        packages = List.copyOf(packages);
    }
}
