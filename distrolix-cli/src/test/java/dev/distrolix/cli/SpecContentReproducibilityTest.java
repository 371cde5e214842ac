package dev.distrolix.cli;

import dev.distrolix.testing.IntegrationTest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image depends on the spec's content alone: not on its file name, its folder, its format, or whether it
 * came from a file or stdin. Real Nix, the Debian-backed package set, the nginx example.
 */
@IntegrationTest
class SpecContentReproducibilityTest {
    static final String INCLUDE = "nixpkgs=" + Fixtures.debianPackageSet();

    @TempDir
    Path tmp;

    /** The nginx example's folder copied to {@code folder}, its spec renamed to {@code specName}. */
    private Path copyExample(String folder, String specName) throws IOException {
        Path src = Fixtures.repo().resolve("examples/nginx");
        Path dst = Files.createDirectories(tmp.resolve(folder));
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) {
                String name = f.getFileName().toString();
                Files.copy(f, dst.resolve(name.equals("image.yaml") ? specName : name));
            }
        }
        return dst.resolve(specName);
    }

    /** Builds to a fresh OCI layout; returns the manifest digest from --digest-file. */
    private String build(Path workDir, Path stdin, String layoutName, String... specArgs) throws IOException {
        Path layout = tmp.resolve("out").resolve(layoutName);
        Path digestFile = tmp.resolve("out").resolve(layoutName + ".digest");
        Files.createDirectories(layout.getParent());
        List<String> args = new ArrayList<>(List.of("build"));
        args.addAll(List.of(specArgs));
        args.addAll(List.of("-q", "-I", INCLUDE, "--cache-dir", tmp.resolve("cache").toString(),
                "--digest-file", digestFile.toString(), "-o", "oci:" + layout + ":r"));
        String[] a = args.toArray(String[]::new);
        Cli r = stdin == null ? CliProcess.run(Map.of(), workDir, a) : CliProcess.runWithInput(Map.of(), workDir, stdin, a);
        assertThat(r.exitCode()).as("%s: %s", layoutName, r.err()).isZero();
        String digest = Files.readString(digestFile).strip();
        assertThat(r.out().strip()).isEqualTo(digest);
        JsonNode history = OciLayouts.config(layout).get("history");
        assertThat(history.get(history.size() - 1).get("created_by").asText()).isEqualTo("distrolix: declared files");
        return digest;
    }

    @Test
    void copiedRenamedConvertedToJsonAndPipedOnStdinGiveOneDigest() throws Exception {
        Path original = copyExample("a/nginx", "image.yaml");
        Path renamed = copyExample("somewhere else/web-server", "my-renamed-spec.yml");
        Path jsonDir = tmp.resolve("json/nginx");
        copyExample("json/nginx", "image.yaml");
        Path json = jsonDir.resolve("nginx.json");
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(original.toFile());
        Files.writeString(json, new ObjectMapper().writeValueAsString(tree));
        Files.delete(jsonDir.resolve("image.yaml"));

        String expected = build(original.getParent(), null, "original", original.toString());
        assertThat(expected).startsWith("sha256:");
        assertThat(build(tmp, null, "renamed", renamed.toString())).as("renamed, other folder").isEqualTo(expected);
        assertThat(build(tmp, null, "json", json.toString())).as("JSON").isEqualTo(expected);
        // stdin: relative sources against the working directory, or --base-dir from anywhere
        assertThat(build(original.getParent(), original, "stdin-yaml", "-")).as("YAML on stdin").isEqualTo(expected);
        assertThat(build(tmp, json, "stdin-json", "-", "--base-dir", jsonDir.toString()))
                .as("JSON on stdin, --base-dir").isEqualTo(expected);
    }

    @Test
    void stdinErrorsNameStdinAndExit3() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad"), "name: nginx\npakages: [nginx]\n");
        Cli r = CliProcess.runWithInput(Map.of(), tmp, bad, "build", "-", "-o", "oci:" + tmp.resolve("x"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLine()).isEqualTo("distrolix: <stdin>:2:1: unknown key 'pakages' (did you mean 'packages'?)");

        Path missingSource = Files.writeString(tmp.resolve("missing"),
                "{\"name\": \"app\", \"paths\": [{\"path\": \"/a\", \"source\": \"index.html\"}]}");
        r = CliProcess.runWithInput(Map.of(), tmp, missingSource, "build", "-", "-o", "oci:" + tmp.resolve("x"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLine()).isEqualTo("distrolix: <stdin>:1:52: paths[0].source: 'index.html' does not exist"
                + " (looked for " + tmp.toRealPath().resolve("index.html") + ")");
    }
}
