package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.AuditFixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** distrolix why and distrolix sbom on the nginx example, the JRE image and bad input. */
@IntegrationTest
class WhyAndSbomCommandTest {
    private static final String HASH = "[0-9a-z]{32}";

    @TempDir
    Path tmp;

    @Test
    void whyGlibcPrintsTheChainFromTheEntrypointWithTheFileThatNamesIt() {
        Cli r = Cli.run("why", AuditFixtures.nginx(), "glibc");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern(Pattern.compile(
                "through the entrypoint's store path:\n\n/nix/store/" + HASH + "-nginx-1\\.22\\.1\n"
                        + "└───/nix/store/" + HASH + "-glibc-2\\.36   \\(named in bin/nginx\\)\n"));
        assertThat(r.out()).containsPattern("glibc 2\\.36 costs [0-9.]+ MB only through it \\(own [0-9.]+ MB, closure [0-9.]+ MB\\)");

        Cli all = Cli.run("why", AuditFixtures.nginx(), "glibc", "--all");
        assertThat(all.exitCode()).isZero();
        assertThat(all.out()).containsPattern("├───/nix/store/" + HASH + "-openssl-3\\.0\\.22\n│   └───/nix/store/" + HASH
                + "-glibc-2\\.36\n");
    }

    @Test
    void whySizesSayWhatOnlyTheTargetKeeps() throws Exception {
        JsonNode openssl = json(Cli.run("why", AuditFixtures.nginx(), "openssl", "--json")).get(0);
        JsonNode glibc = json(Cli.run("why", AuditFixtures.nginx(), "/nix/store/" + base("glibc"), "--json")).get(0);
        long opensslOwn = openssl.get("size").get("own").asLong();
        // openssl's closure is openssl + glibc, but glibc is kept by nginx directly too
        assertThat(openssl.get("size").get("closure").asLong()).isEqualTo(opensslOwn + glibc.get("size").get("own").asLong());
        assertThat(openssl.get("size").get("onlyThroughIt").asLong()).isEqualTo(opensslOwn);
        assertThat(openssl.get("chain")).hasSize(2);
        assertThat(openssl.get("chain").get(1).get("namedBy").asText()).isEqualTo("bin/nginx");

        // a file of the image names its store path; the entrypoint's own path keeps the whole closure
        JsonNode nginx = json(Cli.run("why", AuditFixtures.nginx(), "/usr/local/bin/nginx", "--json")).get(0);
        assertThat(nginx.get("name").asText()).isEqualTo("nginx");
        assertThat(nginx.get("chain")).hasSize(1);
        assertThat(nginx.get("size").get("onlyThroughIt").asLong()).isEqualTo(nginx.get("size").get("closure").asLong());
    }

    @Test
    void whyInTheJreImageFollowsSeveralSteps() throws Exception {
        JsonNode png = json(Cli.run("why", AuditFixtures.jre(), "libpng", "--json")).get(0);
        List<String> chain = new ArrayList<>();
        png.get("chain").forEach(s -> chain.add(s.get("storePath").asText()));
        assertThat(chain).hasSize(3);
        assertThat(chain.get(0)).contains("-openjdk-jre-headless-");
        assertThat(chain.get(1)).contains("-freetype-");
        assertThat(chain.get(2)).contains("-libpng-");
    }

    @Test
    void whyBadInputIsOneLineAndExit3() {
        Cli unknown = Cli.run("why", AuditFixtures.nginx(), "python3");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.err().strip()).doesNotContain("\n")
                .contains("no store path named 'python3' (the image has: glibc, libxcrypt, nginx, openssl, pcre2, zlib)");

        Cli noStore = Cli.run("why", AuditFixtures.debian(), "bash");
        assertThat(noStore.exitCode()).isEqualTo(3);
        assertThat(noStore.err().strip()).doesNotContain("\n").contains("has no /nix/store paths");

        Cli notDepending = Cli.run("why", AuditFixtures.nginx(), "nginx", "--from", "glibc");
        assertThat(notDepending.exitCode()).isEqualTo(3);
        assertThat(notDepending.errLine()).contains("'glibc' does not depend on");

        Cli missingFile = Cli.run("why", AuditFixtures.nginx(), "/usr/bin/nothing");
        assertThat(missingFile.exitCode()).isEqualTo(3);
        assertThat(missingFile.errLine()).contains("/usr/bin/nothing is not in the image");
    }

    @Test
    void sbomTableDocumentsAndFile() throws Exception {
        Cli table = Cli.run("sbom", AuditFixtures.nginx());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("(?m)^nginx \\*\\s+1\\.22\\.1 .* glibc libxcrypt openssl pcre2 zlib$")
                .contains("6 store paths, 9 references", "graph: scanned, agrees with build-time graph");

        Cli cdx = Cli.run("sbom", AuditFixtures.nginx(), "--format", "cyclonedx");
        assertThat(cdx.exitCode()).isZero();
        JsonNode bom = new ObjectMapper().readTree(cdx.out());
        assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.get("components")).hasSize(6);
        assertThat(cdx.err()).contains("graph: scanned, agrees with build-time graph");

        Path file = tmp.resolve("nginx.spdx.json");
        Cli spdx = Cli.run("sbom", AuditFixtures.nginx(), "--format", "spdx", "-o", file.toString());
        assertThat(spdx.exitCode()).isZero();
        assertThat(spdx.out()).contains("wrote " + file + " (spdx)");
        assertThat(new ObjectMapper().readTree(file.toFile()).get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(Files.list(tmp).toList()).containsExactly(file); // no temporary file left

        JsonNode own = json(Cli.run("sbom", AuditFixtures.nginx(), "--json"));
        assertThat(own.get("graph").get("status").asText()).isEqualTo("agrees");
        assertThat(own.get("components")).hasSize(6);
    }

    @Test
    void sbomBadInputIsOneLineAndExit3() {
        Cli badFormat = Cli.run("sbom", AuditFixtures.nginx(), "--format", "swid");
        assertThat(badFormat.exitCode()).isEqualTo(3);
        assertThat(badFormat.err().strip()).doesNotContain("\n").contains("'swid' is not a format");

        Cli noDir = Cli.run("sbom", AuditFixtures.nginx(), "-o", tmp.resolve("no/such/dir/x.json").toString());
        assertThat(noDir.exitCode()).isEqualTo(3);
        assertThat(noDir.errLine()).contains("no such directory");

        Cli noImage = Cli.run("sbom", "oci-archive:" + tmp.resolve("missing.tar"));
        assertThat(noImage.exitCode()).isEqualTo(3);
        assertThat(noImage.err().strip()).doesNotContain("\n").contains("no such file");
    }

    static JsonNode json(Cli r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    static String base(String name) throws Exception {
        JsonNode sbom = json(Cli.run("sbom", AuditFixtures.nginx(), "--json"));
        for (JsonNode c : sbom.get("components")) {
            if (c.get("name").asText().equals(name)) {
                return c.get("storePath").asText().substring("/nix/store/".length());
            }
        }
        throw new AssertionError(name);
    }
}
