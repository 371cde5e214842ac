package dev.distrolix.image;

import dev.distrolix.InputException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one rule every command uses to pick an image from an index: the platform asked for
 * ({@code --platform}), else the only entry, else the host's platform; anything else is an
 * {@link InputException} that lists the platforms there are.
 */
public final class PlatformChoice {
    private PlatformChoice() {}

    /** The image of {@code artifact} for {@code wanted} (null: the default rule above). */
    public static Image pick(Artifact artifact, Platform wanted, String where) throws IOException {
        if (artifact instanceof Image image) {
            if (wanted != null && !matches(image.platform(), wanted)) {
                throw new InputException(where + " is " + format(image.platform()) + ", not " + format(wanted));
            }
            return image;
        }
        ImageIndex index = (ImageIndex) artifact;
        List<Descriptor> entries = index.manifests();
        if (entries.isEmpty()) {
            throw new InputException(where + ": the index lists no image");
        }
        if (wanted == null && entries.size() == 1) {
            return index.image(entries.get(0));
        }
        Platform target = wanted != null ? wanted : host();
        List<Descriptor> found = entries.stream().filter(d -> d.platform() != null && matches(d.platform(), target))
                .toList();
        if (found.size() == 1 || (found.size() > 1 && target.variant() == null)) {
            return index.image(found.get(0));
        }
        String platforms = entries.stream().map(d -> d.platform() == null ? "unknown" : format(d.platform()))
                .collect(Collectors.joining(", "));
        throw new InputException(where + " holds " + entries.size() + " images (" + platforms + ") and none for "
                + format(target) + "; choose one with --platform");
    }

    /** OS and architecture equal; variants equal where both name one. */
    public static boolean matches(Platform have, Platform wanted) {
        return have.os().equals(wanted.os()) && have.architecture().equals(wanted.architecture())
                && (have.variant() == null || wanted.variant() == null || have.variant().equals(wanted.variant()));
    }

    /** {@code os/arch[/variant]}, as --platform spells it. */
    public static String format(Platform p) {
        return p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant());
    }

    /** Parses {@code os/arch[/variant]}; a bad one is an {@link InputException}. */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new InputException("invalid platform '" + text + "' (expected OS/ARCH[/VARIANT], e.g. linux/arm64)");
        }
        return new Platform(parts[1], parts[0], parts.length == 3 ? parts[2] : null);
    }

    /** The platform this JVM runs on, in Go's vocabulary. */
    public static Platform host() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String goArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> arch;
        };
        return Platform.of(goArch, "linux");
    }
}
