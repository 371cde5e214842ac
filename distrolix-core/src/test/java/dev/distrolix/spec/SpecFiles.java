package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writing spec files into a test's folder, and asserting on the one-line errors of loading them. */
final class SpecFiles {
    private final Path dir;

    SpecFiles(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ImageSpec load(String name, String content) {
        return SpecLoader.load(write(name, content));
    }

    /**
     * Asserts the exact message of loading {@code content}; {@code expected} starts with the file name, which
     * the loader prints with the test folder in front.
     */
    void assertError(String name, String content, String expected) {
        Path file = write(name, content);
        assertThatThrownBy(() -> SpecLoader.load(file))
                .isInstanceOf(SpecException.class)
                .hasMessage(dir + "/" + expected);
    }

    /** A valid minimal YAML spec followed by {@code rest} (top-level keys). */
    static String minimal(String rest) {
        return "name: app\n" + rest;
    }
}
