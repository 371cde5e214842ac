package dev.distrolix;

import java.nio.file.Path;
import java.util.Map;

/** Where distrolix keeps caches: one root, shared by the layer cache and the registry's blob locations. */
public final class CacheDirs {
    private CacheDirs() {}

    /** {@code $DISTROLIX_CACHE_DIR}, else {@code $XDG_CACHE_HOME/distrolix}, else {@code ~/.cache/distrolix}. */
    public static Path root() {
        return root(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** {@code $XDG_CONFIG_HOME}, else {@code ~/.config}: where a user's configuration (and secrets) live, apart from caches. */
    public static Path userConfig() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    }

    public static Path root(Map<String, String> env, Path home) {
        String own = env.get("DISTROLIX_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache")).resolve("distrolix");
    }
}
