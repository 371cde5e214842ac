package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --digest-file} is committed with the image: a digest file that cannot be written fails the
 * build before the image is replaced, and an image that cannot be written leaves the digest file.
 */
@IntegrationTest
class DigestFileTest {
    @TempDir
    Path tmp;

    private static Cli build(String target, String tag, Path digestFile) {
        List<String> args = new ArrayList<>(List.of("build", NginxImageTest.EXAMPLE.toString(),
                "-I", NginxImageTest.INCLUDE, "-q", "--tag", tag, "-o", target));
        args.addAll(List.of("--digest-file", digestFile.toString()));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void anUnwritableDigestFileLeavesThePreviousOutputIntact() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path archive = out.resolve("image.tar");
        Path digest = out.resolve("digest");
        Cli first = build("oci-archive:" + archive, "1", digest);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.readString(digest)).isEqualTo(first.out().strip() + "\n");
        byte[] before = Files.readAllBytes(archive);

        // another tag gives another archive (its index.json names the tag): it must not replace the first
        Path missing = tmp.resolve("no-such-dir/digest");
        Cli r = build("oci-archive:" + archive, "2", missing);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("distrolix: cannot write --digest-file " + missing
                + ": no such directory " + missing.getParent());
        assertThat(Files.readAllBytes(archive)).isEqualTo(before);
        assertThat(tmp.resolve("no-such-dir")).doesNotExist();

        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Fixtures.run("chattr", "+i", locked.toString()); // read-only even for root
        try {
            Cli ro = build("oci-archive:" + archive, "2", locked.resolve("digest"));
            assertThat(ro.exitCode()).isEqualTo(1);
            assertThat(ro.err().strip().lines().count()).as(ro.err()).isEqualTo(1);
            assertThat(ro.err().strip()).isEqualTo("distrolix: cannot write --digest-file " + locked.resolve("digest")
                    + ": permission denied");
        } finally {
            Fixtures.run("chattr", "-i", locked.toString());
        }
        assertThat(locked).isEmptyDirectory();
        assertThat(Files.readAllBytes(archive)).isEqualTo(before);
        assertThat(Files.readString(digest)).isEqualTo(first.out().strip() + "\n");
        assertThat(tempNames(out)).isEmpty();

        // and the other way round: an image that cannot be written (a folder that is not a layout,
        // found only when writing) leaves the previous digest file
        Path notALayout = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notALayout.resolve("notes.txt"), "mine");
        Cli bad = build("oci:" + notALayout + ":1", "1", digest);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("not an OCI image layout");
        assertThat(Files.readString(digest)).isEqualTo(first.out().strip() + "\n");
        assertThat(tempNames(out)).isEmpty();
    }

    @Test
    void aPipeIsWrittenIntoALinkKeptAndTheSpecNeverReplaced() throws Exception {
        // an archive into a FIFO (as into /dev/null or /dev/stdout): its reader gets it whole, the FIFO stays one
        Path fifo = tmp.resolve("archive.fifo");
        Fixtures.run("mkfifo", fifo.toString());
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (java.io.InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path real = Files.writeString(tmp.resolve("real-digest"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("digest-link"), real);
        Cli r = build("oci-archive:" + fifo, "1", link);
        assertThat(r.exitCode()).as(r.err()).isZero();
        byte[] archive = read.get(60, java.util.concurrent.TimeUnit.SECONDS);
        Path copy = Files.write(tmp.resolve("copy.tar"), archive);
        Cli inspect = Cli.run("inspect", "oci-archive:" + copy);
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo(r.out().strip() + "\n");

        // an output named as the spec itself is refused before anything is written
        Path spec = Files.createDirectories(tmp.resolve("spec"));
        try (Stream<Path> files = Files.list(NginxImageTest.EXAMPLE.getParent())) {
            for (Path f : files.toList()) {
                Files.copy(f, spec.resolve(f.getFileName()));
            }
        }
        Path yaml = spec.resolve(NginxImageTest.EXAMPLE.getFileName());
        byte[] before = Files.readAllBytes(yaml);
        Cli over = Cli.run("build", yaml.toString(), "-I", NginxImageTest.INCLUDE, "-q", "-o", "oci-archive:" + yaml);
        assertThat(over.exitCode()).isEqualTo(3);
        assertThat(over.err().strip()).isEqualTo("distrolix: cannot write the output " + yaml + ": it is the spec being built");
        assertThat(Files.readAllBytes(yaml)).isEqualTo(before);
    }

    private static List<String> tempNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp")).toList();
        }
    }
}
