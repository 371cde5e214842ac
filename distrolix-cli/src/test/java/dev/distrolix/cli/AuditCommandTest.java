package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.AuditFixtures;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** distrolix audit on our nginx, busybox and broken-ELF images, a debootstrap Debian and a podman-built image. */
class AuditCommandTest {
    @TempDir
    Path tmp;

    static JsonNode json(Cli r) throws Exception {
        return new ObjectMapper().readTree(r.out());
    }

    static List<String> ids(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.get("findings").forEach(f -> ids.add(f.get("id").asText()));
        return ids;
    }

    static JsonNode finding(JsonNode report, String id) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id + " in " + ids(report));
    }

    static List<String> paths(JsonNode finding) {
        List<String> out = new ArrayList<>();
        finding.get("paths").forEach(p -> out.add(p.asText()));
        return out;
    }

    @IntegrationTest
    @Test
    void theNginxExampleHasNoShellNoPackageManagerNoSetuidNoBrokenElfAndRunsAsRoot() throws Exception {
        Cli r = Cli.run("audit", AuditFixtures.nginx(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = json(r);
        assertThat(ids(report)).doesNotContain("shell", "package-manager", "downloader", "setuid", "setgid",
                "elf-unresolved", "elf-library-unresolved", "elf-interpreter-missing", "elf-unreadable",
                "entrypoint-missing", "entrypoint-cannot-start", "world-writable", "dangling-symlink");
        assertThat(finding(report, "runs-as-root").get("severity").asText()).isEqualTo("medium");
        assertThat(report.get("elfFiles").asInt()).isGreaterThan(200); // glibc's gconv modules, nginx, the libraries
        assertThat(report.get("efficiency").get("efficiency").asDouble()).isEqualTo(1.0);
        assertThat(report.get("result").asText()).isEqualTo("pass");

        Cli human = Cli.run("audit", AuditFixtures.nginx());
        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).contains("runs-as-root", "the image runs as root", "Result: pass (fail-on high)");
    }

    @IntegrationTest
    @Test
    void debianMinbaseHasShellsAptDpkgAndSetuidSuPasswd() throws Exception {
        Cli r = Cli.run("audit", AuditFixtures.debian(), "--json");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        JsonNode report = json(r);
        assertThat(paths(finding(report, "shell"))).contains("/usr/bin/bash", "/usr/bin/dash", "/usr/bin/sh -> dash");
        assertThat(paths(finding(report, "package-manager"))).contains("/usr/bin/apt", "/usr/bin/apt-get", "/usr/bin/dpkg");
        assertThat(paths(finding(report, "setuid"))).anyMatch(p -> p.startsWith("/usr/bin/su ("))
                .anyMatch(p -> p.startsWith("/usr/bin/passwd (-rwsr-xr-x 0:0)"));
        assertThat(paths(finding(report, "interpreter"))).contains("/usr/bin/perl");
        assertThat(ids(report)).contains("runs-as-root").doesNotContain("elf-unresolved", "elf-interpreter-missing");
        assertThat(report.get("result").asText()).isEqualTo("fail");
    }

    @IntegrationTest
    @Test
    void busyboxAppletsAreShellsAndDownloaders() throws Exception {
        Cli r = Cli.run("audit", AuditFixtures.busybox(), "--json", "--fail-on", "none");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = json(r);
        List<String> shells = paths(finding(report, "shell"));
        assertThat(shells).anyMatch(p -> p.matches("/nix/store/[a-z0-9]{32}-busybox-1\\.35\\.0/bin/sh -> busybox"));
        assertThat(shells).anyMatch(p -> p.matches("/nix/store/[a-z0-9]{32}-busybox-1\\.35\\.0/bin/busybox \\(busybox applets .*\\bsh\\b.*\\)"));
        List<String> downloaders = paths(finding(report, "downloader"));
        assertThat(downloaders).anyMatch(p -> p.endsWith("/bin/wget -> busybox"));
        assertThat(downloaders).anyMatch(p -> p.contains("/bin/busybox (busybox applets") && p.contains("wget"));
        assertThat(finding(report, "downloader").get("message").asText()).contains("busybox wget");
    }

    @IntegrationTest
    @Test
    void aDeletedLibraryIsReportedWithTheBinarysNameAndTheEntrypointCannotStart() throws Exception {
        Cli r = Cli.run("audit", AuditFixtures.brokenElf(), "--json");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        JsonNode report = json(r);
        JsonNode elf = finding(report, "elf-unresolved");
        assertThat(elf.get("severity").asText()).isEqualTo("high");
        assertThat(elf.get("message").asText()).contains("libdistrolix-missing.so.1", "nginx-broken-1.22.1/bin/nginx",
                "cannot start");
        assertThat(paths(elf)).singleElement().asString().endsWith("-nginx-broken-1.22.1/bin/nginx");
        JsonNode entry = finding(report, "entrypoint-cannot-start");
        assertThat(entry.get("severity").asText()).isEqualTo("critical");
        assertThat(entry.get("message").asText()).contains("libdistrolix-missing.so.1");

        Cli human = Cli.run("audit", AuditFixtures.brokenElf());
        assertThat(human.exitCode()).isEqualTo(4);
        assertThat(human.out()).contains("elf-unresolved", "libdistrolix-missing.so.1 is not in the image",
                "Result: FAIL (fail-on high: 2 at or above it)");
    }

    @IntegrationTest
    @Test
    void aConfigFileIgnoresByIdAndPathAndSetsThresholds() throws Exception {
        Path config = tmp.resolve("audit.yaml");
        Files.writeString(config, """
                fail-on: medium
                ignore:
                  - id: runs-as-root
                    reason: the master binds port 80
                  - id: ca-certificates-missing
                    path: /nix/store/*-openssl-*/lib/**
                """);
        Cli r = Cli.run("audit", AuditFixtures.nginx(), "--config", config.toString(), "--json");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        JsonNode report = json(r);
        assertThat(ids(report)).doesNotContain("runs-as-root", "ca-certificates-missing");
        assertThat(report.get("ignored")).hasSize(2);
        // without the ignores, medium findings fail
        Files.writeString(config, "fail-on: medium\n");
        assertThat(Cli.run("audit", AuditFixtures.nginx(), "--config", config.toString()).exitCode()).isEqualTo(4);
        // the command line wins over the file
        assertThat(Cli.run("audit", AuditFixtures.nginx(), "--config", config.toString(), "--fail-on", "high").exitCode())
                .isZero();
    }

    @IntegrationTest
    @Test
    void theConfigFileInTheWorkingDirectoryIsUsedByDefault() throws Exception {
        Files.writeString(tmp.resolve(".distrolix-audit.yaml"), "fail-on: medium\nmax-wasted-bytes: 1 MiB\n");
        Cli r = CliProcess.run(Map.of(), tmp, "audit", AuditFixtures.nginx());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).contains("Result: FAIL (fail-on medium: 2 at or above it)");
    }

    @IntegrationTest
    @Test
    void efficiencyAndWastedBytesAsDiveComputesThemFailTheirLimits() throws Exception {
        Path ctx = tmp.resolve("ctx");
        Files.createDirectories(ctx);
        Files.write(ctx.resolve("a.bin"), new byte[1_000_000]);
        Files.write(ctx.resolve("b.bin"), new byte[3_000_000]);
        Files.writeString(ctx.resolve("c.txt"), "hello\n");
        Files.writeString(ctx.resolve("Containerfile"), """
                FROM scratch
                COPY a.bin /data/file.bin
                COPY b.bin /data/file.bin
                COPY c.txt /c.txt
                """);
        String image = "localhost/distrolix-test-dup:audit";
        Fixtures.run("podman", "build", "-q", "-t", image, ctx.toString());
        try {
            Cli r = Cli.run("audit", "podman:" + image, "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode eff = json(r).get("efficiency");
            assertThat(eff.get("wastedBytes").asLong()).isEqualTo(4_000_000);
            assertThat(eff.get("efficiency").asDouble()).isCloseTo(1_000_006.0 / 4_000_006.0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(eff.get("topWasted").get(0).get("path").asText()).isEqualTo("/data/file.bin");

            Cli low = Cli.run("audit", "podman:" + image, "--min-efficiency", "0.9");
            assertThat(low.exitCode()).isEqualTo(4);
            assertThat(low.out()).contains("Limit: efficiency 0.2500 is below min-efficiency 0.9000");
            Cli wasted = Cli.run("audit", "podman:" + image, "--max-wasted-bytes", "3MB");
            assertThat(wasted.exitCode()).isEqualTo(4);
            assertThat(wasted.out()).contains("wasted bytes 4000000 exceed max-wasted-bytes 3000000");
            assertThat(Cli.run("audit", "podman:" + image, "--max-wasted-bytes", "4MB").exitCode()).isZero();
        } finally {
            Fixtures.run("podman", "rmi", "-f", image);
        }
    }

    @IntegrationTest
    @Test
    void badInputIsOneLineAndExit3() throws Exception {
        Cli missing = Cli.run("audit", "oci:" + tmp.resolve("nope"));
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("no such directory");

        Path config = tmp.resolve("bad.yaml");
        Files.writeString(config, "fail-on: high\nmax-wasted: 3MB\n");
        Cli badKey = Cli.run("audit", AuditFixtures.nginx(), "--config", config.toString());
        assertThat(badKey.exitCode()).isEqualTo(3);
        assertThat(badKey.err().strip()).doesNotContain("\n").contains("unknown key 'max-wasted'");

        Files.writeString(config, "ignore:\n  - id: no-such-rule\n");
        Cli badId = Cli.run("audit", AuditFixtures.nginx(), "--config", config.toString());
        assertThat(badId.exitCode()).isEqualTo(3);
        assertThat(badId.errLine()).contains("unknown finding id 'no-such-rule'");

        Cli badSeverity = Cli.run("audit", AuditFixtures.nginx(), "--fail-on", "severe");
        assertThat(badSeverity.exitCode()).isEqualTo(3);
        assertThat(badSeverity.errLine()).contains("'severe' is not a severity");

        Cli notAnImage = Cli.run("audit", config.toString());
        assertThat(notAnImage.exitCode()).isEqualTo(3);
        assertThat(notAnImage.err().strip()).doesNotContain("\n");
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("bad.yaml");
    }

    @Test
    void listRulesNamesEveryId() {
        Cli r = Cli.run("audit", "--list-rules");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("shell", "elf-unresolved", "ca-certificates-missing", "critical");
        assertThat(Map.of()).isEmpty();
    }
}
