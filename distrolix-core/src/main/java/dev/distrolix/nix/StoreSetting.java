package dev.distrolix.nix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Which store Nix uses, as its settings say: {@code NIX_REMOTE}, then the {@code store} setting of nix.conf in
 * {@code $NIX_CONF_DIR} (default /etc/nix), of {@code $XDG_CONFIG_HOME/nix/nix.conf} (default ~/.config) and of
 * {@code $NIX_CONFIG}, a later one replacing an earlier one, as Nix reads them. Asked only whether that is the local
 * store, the one whose database is read directly ({@link StoreDatabase}); where the settings include other files, the
 * answer is no: what they say is not read here.
 */
final class StoreSetting {
    /** The local store's names: Nix's default, the store itself, and the daemon that serves it. */
    private static final Set<String> LOCAL = Set.of("", "auto", "local", "daemon");
    /** A setting that cannot be known here (an include). */
    private static final String UNKNOWN = "\0unknown";

    private StoreSetting() {
    }

    /** Whether Nix, run with {@code env}, uses the local store. */
    static boolean local(Map<String, String> env) {
        String remote = env.get("NIX_REMOTE");
        if (remote != null) {
            return LOCAL.contains(remote); // Nix takes NIX_REMOTE over the setting
        }
        String home = env.getOrDefault("HOME", "");
        String store = null;
        for (Path file : NixSettings.files(env, home.isEmpty() ? null : Path.of(home))) {
            try {
                String text = NixSettings.read(file);
                if (text != null) {
                    store = setting(text, store);
                }
            } catch (IOException | RuntimeException unreadable) {
                return false; // Nix may read what this cannot
            }
        }
        String inline = env.get("NIX_CONFIG");
        if (inline != null) {
            store = setting(inline, store);
        }
        return store == null || LOCAL.contains(store);
    }

    /** {@code store} as {@code text} leaves it, {@code before} where it does not set it. */
    static String setting(String text, String before) {
        String[] store = {before};
        NixSettings.parse(text, (name, value) -> {
            if (name.equals("include") || name.equals("!include")) {
                store[0] = UNKNOWN;
            } else if (name.equals("store")) { // after an include, it decides again
                store[0] = value;
            }
        });
        return store[0];
    }
}
