package dev.distrolix.cli;

import dev.distrolix.image.Platform;
import dev.distrolix.image.PlatformChoice;
import picocli.CommandLine.Option;

/** {@code --platform}: which image of an index a command reads (the one rule: this, else the only one, else the host's). */
final class PlatformOption {
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The image to read from an index, e.g. linux/arm64. Default: the only one, else the host's.")
    String platform;

    /** The parsed platform, or null for the default rule. */
    Platform platform() {
        return platform == null ? null : PlatformChoice.parse(platform);
    }
}
