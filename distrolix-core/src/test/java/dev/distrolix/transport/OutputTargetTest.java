package dev.distrolix.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.registry.RegistrySettings;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output named by the user replaces a regular file (through a link, the file it names) and is written into a
 * device or a pipe, never replacing one: run as root, {@code -o oci-archive:/dev/null} had made /dev/null a file.
 */
class OutputTargetTest {
    @TempDir
    Path tmp;

    @Test
    void aFileOrNoneIsReplacedAndALinkKeptWithTheFileItNamesReplaced() throws Exception {
        assertThat(OutputTarget.of(tmp.resolve("new.tar"), "the output")).isEqualTo(
                new OutputTarget(tmp.resolve("new.tar"), false));
        Path file = Files.writeString(tmp.resolve("old.tar"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.tar"), file.getFileName());
        assertThat(OutputTarget.of(link, "the output")).isEqualTo(new OutputTarget(file.toRealPath(), false));

        Transports.write(Fixtures.image(tmp.resolve("layers"), "v1"),
                ImageReference.parse("oci-archive:" + link + ":v1").withDefaults("distrolix/test", "latest"),
                RegistrySettings.defaults());
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.size(file)).isGreaterThan(1000); // the archive, in the file the link names
    }

    @Test
    void aDeviceOrAPipeIsWrittenIntoAndStaysWhatItIs() throws Exception {
        assertThat(OutputTarget.of(Path.of("/dev/null"), "the output").stream()).isTrue();
        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(OutputTarget.of(fifo, "--digest-file").stream()).isTrue();
        // an archive written into the pipe arrives whole at its reader; the pipe is still one
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Transports.write(Fixtures.image(tmp.resolve("layers"), "v1"),
                ImageReference.parse("oci-archive:" + fifo + ":v1").withDefaults("distrolix/test", "latest"),
                RegistrySettings.defaults());
        byte[] archive = read.get();
        assertThat(archive.length).isGreaterThan(1000);
        assertThat(new String(archive, 0, 512, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("ustar");
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();

        // a staged file (--digest-file) named as a link to a device is written at commit, the link kept
        Path toNull = Files.createSymbolicLink(tmp.resolve("digest"), Path.of("/dev/null"));
        try (StagedFile s = StagedFile.prepare(toNull, "--digest-file")) {
            s.write("sha256:00\n");
            s.commit();
        }
        assertThat(Files.isSymbolicLink(toNull)).isTrue();
        try (var names = Files.list(tmp)) {
            assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
        }
    }

    @Test
    void aDescriptorNamedThroughProcIsAppendedToNeverReplaced() throws Exception {
        assertThat(OutputTarget.of(Path.of("/dev/stdout"), "--digest-file").stream()).isTrue();
        assertThat(OutputTarget.isStandardOutput(Path.of("/dev/stdout"))).isTrue();
        assertThat(OutputTarget.isStandardOutput(tmp)).isFalse();
        // a file this process holds open (as a shell's `>> log` is), named by its descriptor: written after what it
        // holds, the same file (a rename would have replaced it, cutting the shell's descriptor off)
        Path log = Files.writeString(tmp.resolve("log"), "before\n");
        Object inode = Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        try (java.io.FileOutputStream held = new java.io.FileOutputStream(log.toFile(), true)) {
            Path fd;
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                fd = fds.filter(f -> {
                    try {
                        return Files.readSymbolicLink(f).equals(log);
                    } catch (java.io.IOException gone) {
                        return false;
                    }
                }).findFirst().orElseThrow();
            }
            OutputTarget t = OutputTarget.of(fd, "--digest-file");
            assertThat(t.stream()).isTrue();
            try (java.io.OutputStream o = t.openStream()) {
                o.write("after\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertThat(Files.readString(log)).isEqualTo("before\nafter\n");
        assertThat(Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
    }

    @Test
    void aLinkToNothingAndASocketAreRefusedAsInput() throws Exception {
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nothing"));
        assertThatThrownBy(() -> OutputTarget.of(dangling, "the output")).isInstanceOf(InputException.class)
                .hasMessage("cannot write the output " + dangling + ": it is a symbolic link to nothing");
        Path socket = tmp.resolve("sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> OutputTarget.of(socket, "--digest-file")).isInstanceOf(InputException.class)
                    .hasMessage("cannot write --digest-file " + socket + ": it is a socket");
        }
    }
}
