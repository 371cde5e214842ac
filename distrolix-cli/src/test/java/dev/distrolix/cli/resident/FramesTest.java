package dev.distrolix.cli.resident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames both ways, a run's stdin and output as frames, and the resident JVM's small rules. */
class FramesTest {
    @TempDir
    Path tmp;

    @Test
    void framesGoThroughWholeAndTheirSizeIsBounded() throws IOException {
        try (SocketPair pair = SocketPair.in(tmp)) {
            Frames.Writer toClient = new Frames.Writer(pair.server());
            byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
            toClient.send(Frames.STDOUT, text, 0, text.length);
            toClient.sendInt(Frames.EXIT, 3);
            pair.server().shutdownOutput();
            Frames.Frame out = Frames.read(pair.client());
            assertThat(out.type()).isEqualTo(Frames.STDOUT);
            assertThat(new String(out.data(), StandardCharsets.UTF_8)).isEqualTo("hello");
            Frames.Frame exit = Frames.read(pair.client());
            assertThat(exit.type()).isEqualTo(Frames.EXIT);
            assertThat(exit.intValue()).isEqualTo(3);
            assertThat(Frames.read(pair.client())).isNull(); // the end, between frames
        }
        try (SocketPair pair = SocketPair.in(Files.createDirectory(tmp.resolve("big")))) {
            pair.client().write(ByteBuffer.allocate(5).put(Frames.STDIN_DATA).putInt(Frames.MAX_FRAME + 1).flip());
            assertThatThrownBy(() -> Frames.read(pair.server())).isInstanceOf(IOException.class)
                    .hasMessageContaining("at most");
        }
        try (SocketPair pair = SocketPair.in(Files.createDirectory(tmp.resolve("cut")))) {
            pair.client().write(ByteBuffer.allocate(7).put(Frames.SIGNAL).putInt(4).put((byte) 0).put((byte) 0).flip());
            pair.client().shutdownOutput();
            assertThatThrownBy(() -> Frames.read(pair.server())).isInstanceOf(IOException.class)
                    .hasMessageContaining("within a frame");
        }
    }

    @Test
    void stdinIsAskedForAsMuchAsARunReadsAndNoMore() throws Exception {
        try (SocketPair pair = SocketPair.in(tmp)) {
            ClientStdin stdin = new ClientStdin(new Frames.Writer(pair.server()));
            // the client: answers each ask with what it asked for, from "abcdef", then the end
            Thread client = new Thread(() -> {
                try {
                    byte[] left = "abcdef".getBytes(StandardCharsets.US_ASCII);
                    int at = 0;
                    for (Frames.Frame f; (f = Frames.read(pair.client())) != null; ) {
                        assertThat(f.type()).isEqualTo(Frames.STDIN_WANTED);
                        int n = Math.min(f.intValue(), left.length - at);
                        stdin.answered(java.util.Arrays.copyOfRange(left, at, at + n));
                        at += n;
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            client.start();
            byte[] two = new byte[2];
            assertThat(stdin.read(two, 0, 2)).isEqualTo(2);
            assertThat(new String(two, StandardCharsets.US_ASCII)).isEqualTo("ab");
            assertThat(stdin.read()).isEqualTo('c');
            byte[] rest = new byte[100];
            assertThat(stdin.read(rest, 0, 100)).isEqualTo(3);
            assertThat(stdin.read(rest, 0, 100)).isEqualTo(-1);
            assertThat(stdin.read()).isEqualTo(-1); // not asked again after the end
            pair.server().shutdownOutput();
            client.join(10_000);
            assertThat(client.isAlive()).isFalse();
        }
    }

    @Test
    void outputLargerThanAFrameGoesInSeveral() throws IOException {
        try (SocketPair pair = SocketPair.in(tmp)) {
            byte[] big = new byte[Frames.MAX_FRAME * 2 + 10];
            big[big.length - 1] = 42;
            Thread writer = new Thread(() -> {
                try {
                    new FrameOutputStream(new Frames.Writer(pair.server()), Frames.STDERR).write(big);
                    pair.server().shutdownOutput();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            List<Integer> sizes = new ArrayList<>();
            byte last = 0;
            for (Frames.Frame f; (f = Frames.read(pair.client())) != null; ) {
                assertThat(f.type()).isEqualTo(Frames.STDERR);
                sizes.add(f.data().length);
                last = f.data()[f.data().length - 1];
            }
            assertThat(sizes).containsExactly(Frames.MAX_FRAME, Frames.MAX_FRAME, 10);
            assertThat(last).isEqualTo((byte) 42);
        }
    }

    @Test
    void smallRules() throws IOException {
        assertThat(ResidentServer.idleTimeout(null)).isEqualTo(ResidentServer.DEFAULT_IDLE);
        assertThat(ResidentServer.idleTimeout("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ResidentServer.idleTimeout("0")).isEqualTo(ResidentServer.DEFAULT_IDLE);
        assertThat(ResidentServer.idleTimeout("86401")).isEqualTo(ResidentServer.DEFAULT_IDLE);
        assertThat(ResidentServer.idleTimeout("abc")).isEqualTo(ResidentServer.DEFAULT_IDLE);
        assertThat(ResidentServer.sibling(Path.of("/r/0123.sock"), ".lock")).isEqualTo(Path.of("/r/0123.lock"));
        assertThat(ResidentRun.commandName("build")).isEqualTo("build");
        assertThat(ResidentRun.commandName("--version")).isEqualTo("--version");
        assertThat(ResidentRun.commandName("user:s3cret")).isEqualTo("(another command)");
        Path own = Files.createDirectory(tmp.resolve("own"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        assertThat(ResidentServer.privateFolder(own)).isTrue();
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx--x--x"));
        assertThat(ResidentServer.privateFolder(own)).isFalse();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("target")));
        assertThat(ResidentServer.privateFolder(link)).isFalse();
    }
}
