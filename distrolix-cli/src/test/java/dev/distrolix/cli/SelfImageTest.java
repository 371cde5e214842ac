package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * distrolix's own image ({@code examples/distrolix}: the fixture's JRE and the jar this build made, no shell,
 * no Nix), built by distrolix into podman, runs {@code build --locked} of the nginx example from the signed
 * cache served on 127.0.0.1, as its non-root user, and writes the image the local-store build gives.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfImageTest {
    static final String IMAGE = "localhost/distrolix-selftest:" + ProcessHandle.current().pid();

    SignedCache c;

    @BeforeAll
    void buildTheImage() throws Exception {
        c = SignedCache.get();
        Cli r = CliProcess.run(SignedCache.NIX_ENV, Fixtures.repo(), "build", "examples/distrolix/image.yaml",
                "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "--no-cache", "-o", "podman:" + IMAGE, "-q");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @AfterAll
    void remove() {
        Fixtures.exec(new ProcessBuilder("podman", "rmi", "-f", IMAGE));
    }

    static Fixtures.Exit podman(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "podman";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Fixtures.exec(new ProcessBuilder(cmd));
    }

    @Test
    void itBuildsTheNginxImageFromALockWithoutNixOrShell() throws Exception {
        Path spec = c.specCopy("self");
        assertThat(c.lock(spec, "zstd").exitCode()).isZero();
        // the image runs as uid 65532: it reads the spec folder and writes the output folder
        Files.setPosixFilePermissions(c.tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(spec.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = Files.createDirectories(c.tmp.resolve("self-out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));

        Fixtures.Exit run = podman("run", "--rm", "--network", "host", "-v", spec.getParent() + ":/spec:ro",
                "-v", out + ":/out", IMAGE, "build", "/spec/image.yaml", "--locked", "--no-cache", "-o", "oci:/out/nginx",
                "-q");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(c.localDigest);
        assertThat(out.resolve("nginx/index.json")).exists();

        Fixtures.Exit version = podman("run", "--rm", IMAGE, "--version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("distrolix ");
    }

    @Test
    void javaRunsInTheImageAsBinDistrolixRunsIt() {
        Fixtures.Exit env = podman("image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", IMAGE);
        assertThat(env.code()).as(env.err()).isZero();
        assertThat(env.out().lines()).contains("MALLOC_ARENA_MAX=2");
        // the entrypoint's argument file holds the launcher's memory options: the JVM says which flags it was given
        Fixtures.Exit flags = podman("run", "--rm", "-e", "JDK_JAVA_OPTIONS=-XX:+PrintFlagsFinal", IMAGE, "--version");
        assertThat(flags.code()).as(flags.err()).isZero();
        assertThat(flags.out().lines().filter(l -> l.contains(" MaxNewSize ") || l.contains(" UseSerialGC ")))
                .hasSize(2).allMatch(l -> l.contains("{command line}"))
                .anyMatch(l -> l.matches(".* MaxNewSize += 33554432 .*"));
    }

    @Test
    void theImageHasNoShellAndPassesItsAudit() {
        Fixtures.Exit sh = podman("run", "--rm", "--entrypoint", "/bin/sh", IMAGE, "-c", "true");
        assertThat(sh.code()).as("no /bin/sh to run").isNotZero();
        assertThat(sh.err()).contains("/bin/sh");
        Cli audit = Cli.run("audit", "podman:" + IMAGE);
        assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();
        assertThat(audit.out()).contains("Result: pass").doesNotContain("shell");
    }
}
