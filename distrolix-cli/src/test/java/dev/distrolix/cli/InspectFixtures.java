package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The images the inspect/compare/diff tests read, built once per test JVM: the nginx example
 * (as a layout, an oci-archive, a docker-archive and in podman), a busybox image, and a Debian
 * minimal rootfs made by the real debootstrap and imported with {@code podman import}.
 * The debootstrap tarball is cached in /var/cache/distrolix-tests (a rerun takes seconds).
 */
final class InspectFixtures {
    static final Path DEBIAN_CACHE = Path.of("/var/cache/distrolix-tests/debian-bookworm-minbase.tar");
    static final String DEBIAN_IMAGE = "localhost/distrolix-test-debian:minbase";
    static final String NGINX_PODMAN = "localhost/distrolix-inspect-nginx:test";
    private static final Path DIR = dir();

    private static Path nginxLayout;
    private static Path busyboxLayout;
    private static boolean debianImported;

    private InspectFixtures() {}

    private static Path dir() {
        try {
            Path target = Path.of("target").toAbsolutePath();
            Files.createDirectories(target);
            Path dir = Files.createTempDirectory(target, "inspect-fixtures-");
            // images of a few hundred MB per run: do not let them pile up in target/
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).start().waitFor();
                } catch (IOException | InterruptedException ignored) {
                    // best effort; mvn clean removes it too
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path dir(String name) {
        return DIR.resolve(name);
    }

    static Cli build(Path spec, String target) {
        List<String> args = new ArrayList<>(List.of("build", spec.toString(), "-q", "-I", NginxImageTest.INCLUDE,
                "-o", target));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as("build %s: %s", target, r.err()).isZero();
        return r;
    }

    /** The nginx example as an OCI layout; the other forms are written next to it on demand. */
    static synchronized String nginx() {
        if (nginxLayout == null) {
            nginxLayout = DIR.resolve("nginx");
            build(NginxImageTest.EXAMPLE, "oci:" + nginxLayout + ":test");
        }
        return "oci:" + nginxLayout + ":test";
    }

    static synchronized String nginxIn(String kind) {
        nginx();
        switch (kind) {
            case "oci-archive" -> {
                Path f = DIR.resolve("nginx-oci.tar");
                if (!Files.exists(f)) {
                    build(NginxImageTest.EXAMPLE, "oci-archive:" + f + ":test");
                }
                return "oci-archive:" + f;
            }
            case "docker-archive" -> {
                Path f = DIR.resolve("nginx-docker.tar");
                if (!Files.exists(f)) {
                    build(NginxImageTest.EXAMPLE, "docker-archive:" + f + ":distrolix-inspect/nginx:test");
                }
                return "docker-archive:" + f;
            }
            case "podman" -> {
                build(NginxImageTest.EXAMPLE, "podman:" + NGINX_PODMAN);
                return "podman:" + NGINX_PODMAN;
            }
            case "podman-save-docker-archive" -> { // podman's own legacy layout: <hex>.tar, <id>/layer.tar
                String image = nginxIn("podman").substring("podman:".length());
                Path f = DIR.resolve("nginx-podman-docker.tar");
                Fixtures.run("rm", "-f", f.toString());
                Podman.podman("save", "--format", "docker-archive", "-o", f.toString(), image);
                return "docker-archive:" + f;
            }
            default -> {
                return nginx();
            }
        }
    }

    /** An image whose closure holds the fixture's busybox (spec: packages: [busybox]). */
    static synchronized String busybox() throws IOException {
        if (busyboxLayout == null) {
            Path spec = DIR.resolve("busybox-spec/image.yaml");
            Files.createDirectories(spec.getParent());
            Files.writeString(spec, "name: busybox\npackages:\n  - busybox\n");
            busyboxLayout = DIR.resolve("busybox");
            build(spec, "oci:" + busyboxLayout);
        }
        return "oci:" + busyboxLayout;
    }

    /** A Debian bookworm minbase rootfs from debootstrap, as a tarball (cached) and in podman. */
    static synchronized String debian() throws IOException {
        if (!debianImported) {
            Path tar = debianTarball();
            Podman.podman("import", tar.toString(), DEBIAN_IMAGE);
            debianImported = true;
        }
        return "podman:" + DEBIAN_IMAGE;
    }

    static synchronized Path debianTarball() throws IOException {
        if (Files.isRegularFile(DEBIAN_CACHE)) {
            return DEBIAN_CACHE;
        }
        Files.createDirectories(DEBIAN_CACHE.getParent());
        Path root = DIR.resolve("debootstrap-root");
        Fixtures.run("debootstrap", "--variant=minbase", "bookworm", root.toString(), "http://deb.debian.org/debian");
        Path partial = Files.createTempFile(DEBIAN_CACHE.getParent(), "debian-", ".partial");
        Fixtures.run("tar", "--numeric-owner", "-C", root.toString(), "-cf", partial.toString(), ".");
        Files.setPosixFilePermissions(partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(partial, DEBIAN_CACHE, StandardCopyOption.ATOMIC_MOVE);
        Fixtures.run("rm", "-rf", "--one-file-system", root.toString());
        return DEBIAN_CACHE;
    }
}
