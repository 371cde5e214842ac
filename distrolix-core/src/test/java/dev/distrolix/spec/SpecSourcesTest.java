package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec read from a string or a stream is the spec read from a file, whatever it is called. */
class SpecSourcesTest {
    @TempDir
    Path dir;

    private static final String YAML = """
            name: app
            vars: { greeting: hi }
            paths:
              - { path: /etc/motd, source: motd, interpolate: true }
            config:
              cmd: ["/bin/app"]
            """;
    private static final String JSON = """
            {"name": "app", "vars": {"greeting": "hi"},
             "paths": [{"path": "/etc/motd", "source": "motd", "interpolate": true}],
             "config": {"cmd": ["/bin/app"]}}
            """;

    @Test
    void fileStringAndStreamGiveTheSameSpec() throws Exception {
        Files.writeString(dir.resolve("motd"), "${greeting}\n");
        Path file = Files.writeString(dir.resolve("image.yaml"), YAML);
        ImageSpec fromFile = SpecLoader.fromFile(file);
        ImageSpec fromString = SpecLoader.fromString(YAML, "<stdin>", dir);
        ImageSpec fromJsonStream = SpecLoader.fromStream(
                new ByteArrayInputStream(JSON.getBytes(StandardCharsets.UTF_8)), "<stdin>", dir);
        for (ImageSpec other : new ImageSpec[] {fromString, fromJsonStream}) {
            assertThat(other).usingRecursiveComparison()
                    .ignoringFieldsOfTypes(SourceLocation.class)
                    .ignoringFields("file")
                    .isEqualTo(fromFile);
        }
        assertThat(fromString.file()).isEqualTo(Path.of("<stdin>"));
        assertThat(fromString.baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void stdinErrorsNameStdin() {
        assertThatThrownBy(() -> SpecLoader.fromString("name: app\npakages: []\n", "<stdin>", dir))
                .isInstanceOf(SpecException.class)
                .hasMessage("<stdin>:2:1: unknown key 'pakages' (did you mean 'packages'?)");
        assertThatThrownBy(() -> SpecLoader.fromString("{\"name\": \"app\",\n \"pakages\": []}", "<stdin>", dir))
                .hasMessage("<stdin>:2:2: unknown key 'pakages' (did you mean 'packages'?)");
        assertThatThrownBy(() -> SpecLoader.fromString("{\"name\": \"app\",}", "<stdin>", dir))
                .hasMessageStartingWith("<stdin>:1:16: malformed JSON: ");
        assertThatThrownBy(() -> SpecLoader.fromString("", "<stdin>", dir))
                .hasMessage("<stdin>:1:1: the file is empty");
    }

    @Test
    void stdinSourcesResolveAgainstTheBaseDirAndAreNamedThere() throws Exception {
        Files.writeString(dir.resolve("motd"), "${greting}\n");
        assertThatThrownBy(() -> SpecLoader.fromString(YAML, "<stdin>", dir))
                .hasMessage(dir.resolve("motd") + ":1:1: paths[0].source: unknown variable in '${greting}'"
                        + " (did you mean '${greeting}'?)");
        assertThatThrownBy(() -> SpecLoader.fromString(YAML, "<stdin>", dir.resolve("elsewhere")))
                .hasMessage("<stdin>:4:32: paths[0].source: 'motd' does not exist (looked for "
                        + dir.resolve("elsewhere/motd") + ")");
    }

    @Test
    void aBaseDirOverridesTheFilesFolder() throws Exception {
        Path sources = Files.createDirectories(dir.resolve("sources"));
        Files.writeString(sources.resolve("motd"), "hi\n");
        Path file = Files.writeString(dir.resolve("spec/image.yaml".replace("/", "-")), YAML);
        ImageSpec spec = SpecLoader.load(file, sources);
        assertThat(spec.baseDir()).isEqualTo(sources);
        assertThat(((PathSpec.FileSpec) spec.paths().get(0)).content())
                .isEqualTo(new FileContent.Source(sources.resolve("motd"), true));
    }

    @Test
    void theFormatOfANamelessDocumentIsSniffed() {
        assertThat(SpecTreeReader.sniff("  {\"name\": 1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SpecTreeReader.Format.JSON);
        assertThat(SpecTreeReader.sniff("\uFEFF{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SpecTreeReader.Format.JSON);
        assertThat(SpecTreeReader.sniff("{ name: app }".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SpecTreeReader.Format.YAML);
        assertThat(SpecTreeReader.sniff("# {\nname: app".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SpecTreeReader.Format.YAML);
        // a flow-style YAML map is YAML
        assertThat(SpecLoader.fromString("{ name: app }", "<stdin>", Path.of("")).name()).isEqualTo("app");
    }
}
