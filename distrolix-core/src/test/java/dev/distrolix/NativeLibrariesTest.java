package dev.distrolix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A library is used only where a property names it, it loads, and its own check passes; silently not otherwise. */
class NativeLibrariesTest {
    static final String PROPERTY = "distrolix.test.native.library";

    static boolean usableWith(String value, NativeLibraries.Check check) {
        try {
            if (value == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, value);
            }
            return NativeLibraries.usable(PROPERTY, check);
        } finally {
            System.clearProperty(PROPERTY);
        }
    }

    @Test
    void usableOnlyWhereNamedLoadedAndChecked() {
        Path xz = Fixtures.repo().resolve("distrolix-core/target/native/libdistrolix-xz.so");
        List<Path> checked = new ArrayList<>();
        assertThat(usableWith(xz.toString(), checked::add)).isTrue();
        assertThat(checked).containsExactly(xz);
        assertThat(usableWith(null, p -> { })).as("not named").isFalse();
        assertThat(usableWith("", p -> { })).as("named none").isFalse();
        assertThat(usableWith(xz.resolveSibling("missing.so").toString(), p -> { })).as("not a file").isFalse();
        assertThat(usableWith(Fixtures.repo().resolve("README.md").toString(), p -> { })).as("not ELF").isFalse();
        assertThat(usableWith(xz.toString(), p -> {
            throw new UnsupportedOperationException("self-test failed");
        })).as("its check fails").isFalse();
    }
}
