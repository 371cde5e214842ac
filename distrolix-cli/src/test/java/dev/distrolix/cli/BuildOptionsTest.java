package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void helpTeachesTargetsAndExamples() {
        Cli r = Cli.run("build", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("oci:DIR[:TAG]", "docker-archive:FILE[:NAME:TAG]", "Examples:",
                "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)", "--max-layers=N");
        assertThat(r.err()).isEmpty();
    }

    @IntegrationTest
    @Test
    void digestFileJsonTagLayeringAndCompressionOptions() throws Exception {
        Path digestFile = tmp.resolve("digest");
        Path layout = tmp.resolve("layout");
        Cli r = Cli.run("build", Fixtures.repo().resolve("examples/nginx/image.yaml").toString(), "--json",
                "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "--tag", "t1", "--layering", "single",
                "--compression", "zstd", "--digest-file", digestFile.toString(), "-o", "oci:" + layout);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(Files.readString(digestFile).strip()).isEqualTo(j.get("manifestDigest").asText());
        assertThat(j.get("image").asText()).isEqualTo("nginx:t1");
        assertThat(j.get("layers")).hasSize(2); // one store layer + the declared files
        assertThat(j.get("layers").get(0).get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        assertThat(j.get("layers").get(0).get("storePaths")).hasSize(6);
        JsonNode history = OciLayouts.config(layout).get("history");
        assertThat(history.get(0).get("created_by").asText()).startsWith("distrolix: store paths /nix/store/")
                .contains("-nginx-1.22.1", "-glibc-2.36");
        assertThat(Fixtures.run("skopeo", "inspect", "oci:" + layout + ":t1")).contains(j.get("manifestDigest").asText());
    }
}
