package dev.distrolix.image;

import java.util.Objects;

/**
 * The platform an image runs on, in Go's GOARCH/GOOS vocabulary ("amd64", "arm64", "linux").
 * {@code variant} is {@code null} when absent (e.g. "v8" for arm64 is optional); it is then
 * omitted from every JSON document.
 */
public record Platform(String architecture, String os, String variant) {
    public Platform {
        requireToken(architecture, "architecture");
        requireToken(os, "os");
        if (variant != null) {
            requireToken(variant, "variant");
        }
    }

    // Written out: a record's generated equals and hashCode are linked on first call through method handles that
    // the JVM's start-up archives do not keep (the first such call in a run ~10 ms).
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Platform p && architecture.equals(p.architecture) && os.equals(p.os)
                && java.util.Objects.equals(variant, p.variant);
    }

    @Override
    public int hashCode() {
        return (architecture.hashCode() * 31 + os.hashCode()) * 31 + java.util.Objects.hashCode(variant);
    }

    public static Platform of(String architecture, String os) {
        return new Platform(architecture, os, null);
    }

    public static Platform linuxAmd64() {
        return of("amd64", "linux");
    }

    private static void requireToken(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("platform " + what + " must not be blank");
        }
    }
}
