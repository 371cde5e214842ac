package dev.distrolix.spec;

import java.util.Locale;

/** The layering strategies a spec may ask for, by name; the algorithms live with the layering code. */
public enum LayeringStrategyName {
    POPULARITY, SIZE, PER_PATH, SINGLE;

    /** The spelling used in spec files: {@code per-path}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
