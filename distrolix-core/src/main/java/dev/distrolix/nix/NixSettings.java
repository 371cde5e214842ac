package dev.distrolix.nix;

import dev.distrolix.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Nix's settings where Nix reads them: nix.conf in {@code $NIX_CONF_DIR} (default /etc/nix), then
 * {@code $XDG_CONFIG_HOME/nix/nix.conf} (default ~/.config), then {@code $NIX_CONFIG}; a later setting replaces an
 * earlier one. Read as lines of {@code name = value}; what each caller keeps of them is its own.
 */
public final class NixSettings {
    /** Nix's own configuration is a few lines; a bound, so that a huge file is refused, not read into the heap. */
    private static final int MAX_BYTES = 1 << 20;

    private NixSettings() {
    }

    /** The settings files, in the order Nix reads them ({@code home}: null where none is known). */
    public static List<Path> files(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>(List.of(Path.of(env.getOrDefault("NIX_CONF_DIR", "/etc/nix"), "nix.conf")));
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home != null ? home.resolve(".config") : null;
        if (config != null) {
            files.add(config.resolve("nix/nix.conf"));
        }
        return files;
    }

    /**
     * The text of a settings file, or null where there is no regular file; one larger than any nix.conf is an
     * {@link dev.distrolix.InputException} (something is wrong there that Nix would trip on too).
     */
    public static String read(Path file) throws IOException {
        return Files.isRegularFile(file)
                ? new String(SmallFiles.read(file, MAX_BYTES, "a nix.conf"), StandardCharsets.UTF_8) : null;
    }

    /**
     * Each setting of {@code text}, in order: its name as written ({@code extra-} kept) and its value, stripped of a
     * comment; an include line as the name {@code include} or {@code !include} and the file it names.
     */
    public static void parse(String text, BiConsumer<String, String> setting) {
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (l.startsWith("include ") || l.startsWith("!include ")) {
                int space = l.indexOf(' ');
                setting.accept(l.substring(0, space), l.substring(space + 1).strip());
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0) {
                setting.accept(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
        }
    }
}
