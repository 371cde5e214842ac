package dev.distrolix.lock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code substituters} and {@code trusted-public-keys} that Nix itself would use: nix.conf in
 * {@code $NIX_CONF_DIR} (default /etc/nix), then {@code $XDG_CONFIG_HOME/nix/nix.conf} (default
 * ~/.config), then {@code $NIX_CONFIG}; a later setting replaces an earlier one, {@code extra-…} appends.
 * Other settings and {@code include} lines are ignored.
 */
public record NixConf(List<String> substituters, List<String> trustedPublicKeys) {
    public static NixConf load() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        String confDir = System.getenv().getOrDefault("NIX_CONF_DIR", "/etc/nix");
        read(Path.of(confDir, "nix.conf"), s);
        Path user = dev.distrolix.CacheDirs.userConfig();
        read(user.resolve("nix/nix.conf"), s);
        String env = System.getenv("NIX_CONFIG");
        if (env != null) {
            parse(env, s);
        }
        return new NixConf(s.getOrDefault("substituters", List.of()), s.getOrDefault("trusted-public-keys", List.of()));
    }

    /** Nix's own configuration is a few lines; a bound, so that a huge file is refused, not read into the heap. */
    private static final int MAX_BYTES = 1 << 20;

    static void read(Path file, Map<String, List<String>> s) {
        try {
            if (Files.isRegularFile(file)) {
                parse(new String(dev.distrolix.SmallFiles.read(file, MAX_BYTES, "a nix.conf"),
                        java.nio.charset.StandardCharsets.UTF_8), s);
            }
        } catch (IOException ignored) {
            // an unreadable nix.conf gives no defaults; --substituter still works (one larger than any nix.conf is
            // refused, an InputException: something is wrong there that Nix would trip on too)
        }
    }

    static void parse(String text, Map<String, List<String>> s) {
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
            int eq = l.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = l.substring(0, eq).strip();
            List<String> values = new ArrayList<>();
            for (String v : l.substring(eq + 1).strip().split("\\s+")) {
                if (!v.isEmpty()) {
                    values.add(v);
                }
            }
            boolean extra = key.startsWith("extra-");
            String name = extra ? key.substring(6) : key;
            if (!name.equals("substituters") && !name.equals("trusted-public-keys")) {
                continue;
            }
            if (extra) {
                List<String> all = new ArrayList<>(s.getOrDefault(name, List.of()));
                values.stream().filter(v -> !all.contains(v)).forEach(all::add);
                s.put(name, all);
            } else {
                s.put(name, values);
            }
        }
    }
}
