package dev.distrolix.lock;

import dev.distrolix.nix.NixSettings;
import java.io.IOException;
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
        for (Path file : NixSettings.files(System.getenv(), Path.of(System.getProperty("user.home")))) {
            read(file, s);
        }
        String env = System.getenv("NIX_CONFIG");
        if (env != null) {
            parse(env, s);
        }
        return new NixConf(s.getOrDefault("substituters", List.of()), s.getOrDefault("trusted-public-keys", List.of()));
    }

    static void read(Path file, Map<String, List<String>> s) {
        try {
            String text = NixSettings.read(file);
            if (text != null) {
                parse(text, s);
            }
        } catch (IOException ignored) {
            // an unreadable nix.conf gives no defaults; --substituter still works (one larger than any nix.conf is
            // refused, an InputException: something is wrong there that Nix would trip on too)
        }
    }

    static void parse(String text, Map<String, List<String>> s) {
        NixSettings.parse(text, (key, value) -> {
            List<String> values = new ArrayList<>();
            for (String v : value.split("\\s+")) {
                if (!v.isEmpty()) {
                    values.add(v);
                }
            }
            boolean extra = key.startsWith("extra-");
            String name = extra ? key.substring(6) : key;
            if (!name.equals("substituters") && !name.equals("trusted-public-keys")) {
                return;
            }
            if (extra) {
                List<String> all = new ArrayList<>(s.getOrDefault(name, List.of()));
                values.stream().filter(v -> !all.contains(v)).forEach(all::add);
                s.put(name, all);
            } else {
                s.put(name, values);
            }
        });
    }
}
