package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input: one clear line on stderr, the documented exit code, and no output left behind. */
class BadInputTest {
    @TempDir
    Path tmp;

    private static final String GOOD_HEAD = "name: bad\npackages:\n  - nginx\n";

    private Path spec(String yaml) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("spec"));
        Files.writeString(dir.resolve("index.html"), "<p>hi</p>\n");
        Path f = dir.resolve("image.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** Builds, expects failure with exactly one line matching the pattern, and checks nothing was written. */
    private void assertRefused(Cli r, int exitCode, String messageRegex) throws IOException {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exitCode);
        assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
        assertThat(r.err().strip()).matches("distrolix: " + messageRegex);
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("out")).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsOnly("spec");
        }
    }

    private Cli build(Path spec) {
        return Cli.run("build", spec.toString(), "-q", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "-o", "oci:" + tmp.resolve("out"));
    }

    @Test
    void aCacheDirThatIsAFileIsRefusedBeforeAnyNixWork() throws IOException {
        Path f = spec(GOOD_HEAD);
        Path notADir = Files.writeString(f.getParent().resolve("cache-file"), "mine");
        Cli r = Cli.run("build", f.toString(), "-q", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--cache-dir", notADir.toString(), "-o", "oci:" + tmp.resolve("out"));
        assertRefused(r, 3, "--cache-dir .*cache-file: not a directory");
        assertThat(Files.readString(notADir)).isEqualTo("mine");
    }

    @Test
    void aPlatformListOfOnlyCommasIsRefusedNotTakenForTheDefault() throws IOException {
        Path f = spec(GOOD_HEAD);
        Cli r = Cli.run("build", f.toString(), "-q", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--platform", ",,,", "-o", "oci:" + tmp.resolve("out"));
        assertRefused(r, 3, "--platform: no platform given \\(expected OS/ARCH\\[/VARIANT\\]\\[,…\\], e\\.g\\. linux/arm64\\)");
    }

    @Test
    void aTagThatTheOutputsOwnTagWouldOverrideIsRefused() throws IOException {
        Path f = spec(GOOD_HEAD);
        Cli r = Cli.run("build", f.toString(), "-q", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--tag", "dev", "-o", "oci:" + tmp.resolve("out") + ":prod");
        assertRefused(r, 3, "--tag dev and the output oci:.*out:prod name other tags: give the tag in one of them");
    }

    @Test
    void malformedYaml() throws IOException {
        assertRefused(build(spec("name: bad\npackages: [nginx\n")), 3, ".*image\\.yaml:\\d+:\\d+: .*");
    }

    @Test
    void unknownKeyWithSuggestion() throws IOException {
        assertRefused(build(spec("name: bad\npakages:\n  - nginx\n")), 3,
                ".*image\\.yaml:2:1: unknown key 'pakages' \\(did you mean 'packages'\\?\\)");
    }

    @Test
    void wrongType() throws IOException {
        assertRefused(build(spec("name: bad\npackages: nginx\n")), 3, ".*image\\.yaml:2:\\d+: packages: .*list.*");
    }

    @Test
    void missingSourceFile() throws IOException {
        assertRefused(build(spec(GOOD_HEAD + "paths:\n  - { path: /index.html, source: missing.html }\n")), 3,
                ".*image\\.yaml:5:\\d+: paths\\[0\\]\\.source: .*missing\\.html.*");
    }

    @Test
    void pathWithDotDot() throws IOException {
        assertRefused(build(spec(GOOD_HEAD + "paths:\n  - { path: /etc/../x, type: directory }\n")), 3,
                ".*image\\.yaml:5:\\d+: paths\\[0\\]\\.path: .*");
    }

    @Test
    void sourceWithDotDot() throws IOException {
        assertRefused(build(spec(GOOD_HEAD + "paths:\n  - { path: /x, source: ../secret }\n")), 3,
                ".*image\\.yaml:5:\\d+: paths\\[0\\]\\.source: .*\\.\\..*");
    }

    @Test
    void sourceEscapingThroughASymlink() throws IOException {
        Path spec = spec(GOOD_HEAD + "paths:\n  - { path: /x, source: link/passwd }\n");
        Files.createSymbolicLink(spec.getParent().resolve("link"), Path.of("/etc"));
        assertRefused(build(spec), 3, ".*image\\.yaml:5:\\d+: paths\\[0\\]\\.source: .*outside.*");
    }

    @Test
    void uidThatIsNotANumber() throws IOException {
        assertRefused(build(spec(GOOD_HEAD + "accounts:\n  groups: [{ name: g, gid: 1 }]\n"
                + "  users: [{ name: u, uid: abc, gid: 1 }]\n")), 3, ".*image\\.yaml:6:\\d+: accounts\\.users\\[0\\]\\.uid: .*");
    }

    @Test
    void duplicatePaths() throws IOException {
        assertRefused(build(spec(GOOD_HEAD + "paths:\n  - { path: /d, type: directory }\n  - { path: /d/, type: directory }\n")),
                3, ".*image\\.yaml:6:\\d+: paths\\[1\\]\\.path: .*/d.*");
    }

    @IntegrationTest
    @Test
    void attributeThePackageSetLacks() throws IOException {
        assertRefused(build(spec("name: bad\npackages:\n  - nosuchpackage\n")), 3,
                "attribute 'nosuchpackage' not found in .*");
    }

    @IntegrationTest
    @Test
    void storePathThatDoesNotExist() throws IOException {
        assertRefused(build(spec("name: bad\npackages:\n  - /nix/store/00000000000000000000000000000000-nothing-1.0\n")), 3,
                "store path /nix/store/00000000000000000000000000000000-nothing-1.0 does not exist.*");
    }

    @Test
    void nixNotInstalled() throws IOException {
        Path s = spec(GOOD_HEAD);
        Cli r = CliProcess.run(Map.of("PATH", "/nonexistent"), tmp, "build", s.toString(), "-q",
                "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "-o", "oci:" + tmp.resolve("out"));
        assertRefused(r, 1, "Nix is not installed \\(nix-build not found on PATH\\)");
    }

    @IntegrationTest
    @Test
    void outputFolderThatIsNotWritable() throws IOException {
        Path s = spec(GOOD_HEAD);
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Fixtures.run("chattr", "+i", locked.toString()); // refuses even root
        try {
            Cli r = Cli.run("build", s.toString(), "-q", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                    "-o", "oci:" + locked.resolve("out"));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
            assertThat(r.err()).startsWith("distrolix: ").contains("permission denied");
            try (Stream<Path> l = Files.list(locked)) {
                assertThat(l).isEmpty();
            }
        } finally {
            Fixtures.run("chattr", "-i", locked.toString());
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli r = Cli.run("build", "--no-such-option", "x.yaml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("distrolix: Unknown option: '--no-such-option'");
    }

    @Test
    void badTargetIsAnInputErrorBeforeAnyWork() throws IOException {
        Cli r = Cli.run("build", spec(GOOD_HEAD).toString(), "-q", "-o", "ftp://somewhere");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).startsWith("distrolix: ");
    }
}
