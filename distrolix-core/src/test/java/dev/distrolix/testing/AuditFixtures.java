package dev.distrolix.testing;

import dev.distrolix.build.ImageBuild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The images the audit, sbom and why tests read, each made once per test JVM: the nginx example,
 * a busybox image, a JRE image (the large one), an nginx whose binary needs a library that does
 * not exist, and a Debian minbase rootfs made by the real debootstrap and imported into podman.
 *
 * <p>The debootstrap tarball is cached in /var/cache/distrolix-tests (shared with the inspect
 * tests, same file): written to a temporary name and renamed, so two test JVMs racing each make a
 * whole tarball and the last rename wins; the image is imported only when podman lacks it.
 */
public final class AuditFixtures {
    public static final Path DEBIAN_CACHE = Path.of("/var/cache/distrolix-tests/debian-bookworm-minbase.tar");
    public static final String DEBIAN_IMAGE = "localhost/distrolix-test-debian:minbase";
    private static Path dir;
    private static String nginx;
    private static String busybox;
    private static String jre;
    private static String brokenElf;
    private static boolean debianReady;

    private AuditFixtures() {}

    private static synchronized Path dir() {
        if (dir == null) {
            try {
                Path target = Fixtures.repo().resolve("target");
                Files.createDirectories(target);
                dir = Files.createTempDirectory(target, "audit-fixtures-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** The nginx example as {@code oci:DIR:test}. */
    public static synchronized String nginx() {
        if (nginx == null) {
            nginx = build(Fixtures.repo().resolve("examples/nginx/image.yaml"), "nginx");
        }
        return nginx;
    }

    /** busybox in the closure, its bin/ linked into /bin (sh, wget, … as applet links). */
    public static synchronized String busybox() {
        if (busybox == null) {
            busybox = build(spec("busybox", """
                    name: busybox
                    packages: [busybox]
                    profile: { prefix: / }
                    config: { cmd: ["/bin/sh"] }
                    """), "busybox");
        }
        return busybox;
    }

    /** The JRE (openjdk 17 headless and its libraries): over 200 MB of files. */
    public static synchronized String jre() {
        if (jre == null) {
            jre = build(spec("jre", """
                    name: jre
                    packages: [jre]
                    config: { entrypoint: ["${packages.jre}/bin/java"], cmd: ["-version"] }
                    """), "jre");
        }
        return jre;
    }

    /**
     * An nginx whose binary also needs {@code libdistrolix-missing.so.1}, which nothing provides
     * (patchelf --add-needed on a copy of the fixture's binary, in a Nix build).
     */
    public static synchronized String brokenElf() {
        if (brokenElf == null) {
            Path nix = dir().resolve("broken-nginx.nix");
            write(nix, """
                    let pkgs = import %s { }; in
                    pkgs.runCommand "nginx-broken-1.22.1" { nginx = pkgs.nginx; } ''
                      mkdir -p $out/bin
                      cp $nginx/bin/nginx $out/bin/nginx
                      chmod u+w $out/bin/nginx
                      patchelf --add-needed libdistrolix-missing.so.1 $out/bin/nginx
                    ''
                    """.formatted(Fixtures.debianPackageSet()));
            brokenElf = build(spec("broken", """
                    name: broken
                    packages: [{ name: broken, file: "%s" }]
                    config: { cmd: ["${packages.broken}/bin/nginx"] }
                    """.formatted(nix)), "broken");
        }
        return brokenElf;
    }

    /** Debian bookworm minbase (debootstrap), imported into podman; returns {@code podman:NAME}. */
    public static synchronized String debian() {
        if (!debianReady) {
            Path tar = debianTarball();
            String exists = runStatus("podman", "image", "exists", DEBIAN_IMAGE);
            if (!exists.equals("0")) {
                Fixtures.run("podman", "import", tar.toString(), DEBIAN_IMAGE);
            }
            debianReady = true;
        }
        return "podman:" + DEBIAN_IMAGE;
    }

    /** The cached debootstrap tarball, made on first use. */
    public static synchronized Path debianTarball() {
        if (Files.isRegularFile(DEBIAN_CACHE)) {
            return DEBIAN_CACHE;
        }
        try {
            Files.createDirectories(DEBIAN_CACHE.getParent());
            Path root = dir().resolve("debootstrap-root");
            Fixtures.run("debootstrap", "--variant=minbase", "bookworm", root.toString(), "http://deb.debian.org/debian");
            Path partial = Files.createTempFile(DEBIAN_CACHE.getParent(), "debian-", ".partial");
            Fixtures.run("tar", "--numeric-owner", "-C", root.toString(), "-cf", partial.toString(), ".");
            Files.move(partial, DEBIAN_CACHE, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Fixtures.run("rm", "-rf", "--one-file-system", root.toString());
            return DEBIAN_CACHE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh folder for a test's own files, inside the fixtures' folder. */
    public static Path newDir(String prefix) {
        try {
            return Files.createTempDirectory(dir(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path spec(String name, String yaml) {
        Path p = dir().resolve(name + ".yaml");
        write(p, yaml);
        return p;
    }

    private static String build(Path spec, String name) {
        Path layout = dir().resolve(name);
        try {
            ImageBuild.fromSpec(spec).target("oci:" + layout + ":test")
                    .includes(List.of("nixpkgs=" + Fixtures.debianPackageSet())).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "oci:" + layout + ":test";
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String runStatus(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return String.valueOf(p.waitFor());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
