package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec a recording run reads after its own work: valid, and each kind of declaration in its layer. */
class ArchiveTrainingTest {
    @Test
    void laysOutEveryKindOfDeclarationInsideItsFolder(@TempDir Path dir) throws IOException {
        List<String> paths = ArchiveTraining.run(dir);

        assertThat(paths).contains("etc/passwd", "etc/group", "etc/app/app.conf", "etc/app/raw.txt",
                "etc/app/inline.txt", "home/app", "tmp", "usr/bin/tool", "usr/local/bin/tool", "usr/local/bin/other-link", "usr/local/share");
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.map(p -> dir.relativize(p).toString())).contains("app.conf")
                    .allMatch(p -> p.isEmpty() || p.equals("app.conf") || p.startsWith("nix"));
        }
    }
}
