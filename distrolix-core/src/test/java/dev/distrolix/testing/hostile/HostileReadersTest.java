package dev.distrolix.testing.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.image.Image;
import dev.distrolix.image.PlatformChoice;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The readers alone (no CLI, no external tool) on every case of the {@link HostileCorpus}: each
 * hostile input ends in an {@link InputException} whose message holds the expected fragment (or
 * reads fine, for the cases that are legal), within seconds; never another exception.
 */
class HostileReadersTest {
    @TempDir
    static Path tmp;
    private static List<HostileCorpus.Case> corpus;

    static Stream<HostileCorpus.Case> cases() {
        if (corpus == null) {
            corpus = HostileCorpus.write(tmp);
        }
        return corpus.stream();
    }

    /**
     * Opens the image and reads it as the reports do (every layer's tar to its end, the checks at the end of each stream
     * included, each entry placed in the flattened tree).
     */
    static void readAll(String reference) throws Exception {
        try (OpenedImage o = Transports.open(reference, RegistrySettings.defaults())) {
            Image image = PlatformChoice.pick(o.artifact(), null, reference);
            dev.distrolix.inspect.FlatFilesystem.read(image);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCaseIsAnInputErrorOrReads(HostileCorpus.Case c) throws Exception {
        long start = System.nanoTime();
        switch (c.stage()) {
            case OK -> readAll(c.reference());
            case REFERENCE -> assertThatThrownBy(() -> ImageReference.parseSource(c.reference()))
                    .isInstanceOf(InputException.class);
            case SPEC -> assertThatThrownBy(() -> SpecLoader.load(Path.of(c.reference())))
                    .isInstanceOf(InputException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsPattern(c.fragment())
                            .doesNotContain("\n"));
            default -> assertThatThrownBy(() -> readAll(c.reference()))
                    .isInstanceOf(InputException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .as("message").containsPattern(Pattern.compile(c.fragment()))
                            .startsWith(c.reference()));
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(10_000);
    }
}
