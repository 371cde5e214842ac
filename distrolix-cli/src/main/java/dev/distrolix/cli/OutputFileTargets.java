package dev.distrolix.cli;

import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.OutputTarget;
import java.nio.file.Path;

/** Whether a command's file outputs go to its own standard output (then its report goes to standard error). */
final class OutputFileTargets {
    private OutputFileTargets() {
    }

    /** Whether {@code target} (an archive target; null: none) or {@code digestFile} (null: none) is standard output. */
    static boolean toStandardOutput(String target, Path digestFile) {
        Path file = null;
        if (target != null) {
            try {
                file = ImageReference.parseTarget(target).archiveFile();
            } catch (RuntimeException unparsed) {
                file = null; // the command has already said what is wrong with it
            }
        }
        return file != null && OutputTarget.isStandardOutput(file)
                || digestFile != null && OutputTarget.isStandardOutput(digestFile);
    }
}
