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

    private static List<String> tempNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp")).toList();
        }
    }
}
