package dev.distrolix.cli.resident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request distrolix-client sends, as the resident JVM reads and checks it. */
class ResidentRequestTest {
    @TempDir
    Path tmp;

    /** The wire format, written as distrolix-client writes it. */
    static byte[] request(int magic, int umask, boolean console, String cwd, List<String> env, List<String> args)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        out.writeInt(umask);
        out.writeByte(console ? 1 : 0);
        string(out, cwd);
        out.writeInt(env.size());
        for (String e : env) {
            string(out, e);
        }
        out.writeInt(args.size());
        for (String a : args) {
            string(out, a);
        }
        return b.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private ResidentRequest read(byte[] bytes) throws IOException {
        try (SocketPair pair = SocketPair.in(tmp)) {
            pair.client().write(ByteBuffer.wrap(bytes));
            pair.client().shutdownOutput();
            return ResidentRequest.read(pair.server(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsWhatTheClientSends() throws IOException {
        ResidentRequest r = read(request(ResidentRequest.MAGIC, 022, true, "/work/dir",
                List.of("HOME=/root", "EMPTY=", "A=b=c", "=no name", "NOEQUALS"),
                List.of("build", "spec.yaml", "-o", "oci:out", "ünïcode")));
        assertThat(r.umask()).isEqualTo(022);
        assertThat(r.console()).isTrue();
        assertThat(r.cwd()).isEqualTo("/work/dir");
        // as the JVM reads its own environment: an entry without a name (or without '=') is left out
        assertThat(r.env()).isEqualTo(Map.of("HOME", "/root", "EMPTY", "", "A", "b=c"));
        assertThat(r.args()).containsExactly("build", "spec.yaml", "-o", "oci:out", "ünïcode");
    }

    @Test
    void refusesWhatIsNotARequestOrTooBig() throws IOException {
        assertThatThrownBy(() -> read(request(0x12345678, 0, false, "/", List.of(), List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("not a distrolix-client request");
        // a count past the bound, read before anything is allocated for it
        byte[] tooMany = request(ResidentRequest.MAGIC, 0, false, "/", List.of(), List.of());
        ByteBuffer.wrap(tooMany).putInt(tooMany.length - 8, ResidentRequest.MAX_STRINGS + 1);
        assertThatThrownBy(() -> read(tooMany)).isInstanceOf(IOException.class).hasMessageContaining("strings");
        byte[] hugeString = request(ResidentRequest.MAGIC, 0, false, "/", List.of(), List.of());
        ByteBuffer.wrap(hugeString).putInt(9, Integer.MAX_VALUE); // the working directory's length
        assertThatThrownBy(() -> read(hugeString)).isInstanceOf(IOException.class).hasMessageContaining("bytes");
        byte[] cut = request(ResidentRequest.MAGIC, 0, false, "/work", List.of("A=b"), List.of("x"));
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(cut, cut.length - 1))).isInstanceOf(IOException.class);
    }

    @Test
    void servesOnlyItsOwnFolderUmaskAndEnvironmentButForTheShellsBookkeeping() {
        Map<String, String> own = Map.of("HOME", "/root", "PATH", "/bin", "_", "/usr/bin/java", "SHLVL", "1",
                "PWD", "/work", "OLDPWD", "/");
        ResidentRequest same = new ResidentRequest(022, false, "/work",
                Map.of("HOME", "/root", "PATH", "/bin", "_", "/x/distrolix-client", "SHLVL", "3"), List.of());
        assertThat(same.differenceFrom("/work", 022, own)).isNull();
        assertThat(same.differenceFrom("/elsewhere", 022, own)).isEqualTo("another working directory");
        assertThat(same.differenceFrom("/work", 077, own)).isEqualTo("another umask");
        ResidentRequest more = new ResidentRequest(022, false, "/work",
                Map.of("HOME", "/root", "PATH", "/bin", "DOCKER_CONFIG", "/tmp/c"), List.of());
        assertThat(more.differenceFrom("/work", 022, own)).isEqualTo("another environment");
        ResidentRequest other = new ResidentRequest(022, false, "/work", Map.of("HOME", "/root", "PATH", "/usr/bin"),
                List.of());
        assertThat(other.differenceFrom("/work", 022, own)).isEqualTo("another environment");
        ResidentRequest less = new ResidentRequest(022, false, "/work", Map.of("HOME", "/root"), List.of());
        assertThat(less.differenceFrom("/work", 022, own)).isEqualTo("another environment");
    }

    @Test
    void argumentsNamingAProcesssOwnFilesAreNotServed() {
        assertThat(ResidentRequest.ownDescriptors(List.of("build", "spec.yaml", "-o", "oci:out"))).isNull();
        assertThat(ResidentRequest.ownDescriptors(List.of("build", "-", "-o", "oci:out"))).isNull();
        for (String a : List.of("oci-archive:/dev/stdout", "--digest-file=/dev/fd/3", "/proc/self/fd/1", "/dev/tty")) {
            assertThat(ResidentRequest.ownDescriptors(List.of("build", "x.yaml", "-o", a))).as(a)
                    .isEqualTo("an argument names a device or a process's files");
        }
        assertThat(ResidentRequest.ownDescriptors(List.of("build", "@options"))).isEqualTo("an argument file");
    }
}
