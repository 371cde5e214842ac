package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.Digest;
import dev.distrolix.tar.Tools;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalStoreSource against real store paths made by Nix and against a hand-made store dir. */
public class LocalStoreSourceTest {
    static final String HASH = "0123456789abcdfghijklmnpqrsvwxyz";

    /** A tree exercising every NAR node type and the byte order of names. */
    public static Path makeTree(Path parent) throws IOException {
        Path t = Files.createDirectories(parent.resolve("tree"));
        Files.writeString(t.resolve("hello"), "hello\n");
        Files.createDirectories(t.resolve("bin"));
        Path run = Files.writeString(t.resolve("bin/run"), "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createLink(t.resolve("bin/run-hardlink"), run);
        Files.createDirectories(t.resolve("lib"));
        Files.createSymbolicLink(t.resolve("lib/long-link"), Path.of("/nix/store/" + HASH
                + "-some-dependency-with-a-long-name-1.2.3/lib/libsomething-with-a-very-long-name.so.1.2.3"));
        Files.createSymbolicLink(t.resolve("lib/dir-link"), Path.of("../bin"));
        Files.createDirectories(t.resolve("a"));
        Files.writeString(t.resolve("a/b"), "");
        Files.writeString(t.resolve("a-b"), "dash");
        Files.writeString(t.resolve("Zed"), "upper");
        Files.writeString(t.resolve("\uff21-fullwidth"), "ef bc a1");
        Files.writeString(t.resolve("\ud83d\ude00-emoji"), "f0 9f 98 80");
        Files.createDirectories(t.resolve("empty"));
        Files.write(t.resolve("big.bin"), new byte[200_000]);
        return t;
    }

    /** {@code nix-store --add} of the tree; returns the store path. */
    public static StorePath addToStore(Path tree) {
        String out = Tools.ok("nix-store", "--add", tree.toString()).out().trim();
        return StorePath.parse(out);
    }

    static List<NarTestReader.Node> walk(StoreSource source, StorePath p) throws IOException {
        List<NarTestReader.Node> out = new ArrayList<>();
        source.walk(p, e -> {
            if (e instanceof NarEntry.Directory d) {
                out.add(new NarTestReader.Node(d.path(), "directory", false, 0, ""));
            } else if (e instanceof NarEntry.Symlink s) {
                out.add(new NarTestReader.Node(s.path(), "symlink", false, 0, s.target()));
            } else {
                NarEntry.Regular r = (NarEntry.Regular) e;
                byte[] data;
                try (InputStream in = r.content().open()) {
                    data = in.readAllBytes();
                }
                assertThat(data.length).isEqualTo(r.size());
                out.add(new NarTestReader.Node(r.path(), "regular", r.executable(), r.size(), Digest.sha256(data).hex()));
            }
        });
        return out;
    }

    @IntegrationTest
    @Test
    void walkOfARealStorePathEqualsItsNar(@TempDir Path tmp) throws IOException {
        Tools.require("nix-store");
        StorePath p = addToStore(makeTree(tmp));
        assertThat(p.storeDir()).isEqualTo("/nix/store");
        assertThat(p.name()).isEqualTo("tree");
        List<NarTestReader.Node> nar = NarTestReader.parse(Tools.ok("nix-store", "--dump", p.fullPath()).stdout());
        List<NarTestReader.Node> walked = walk(new LocalStoreSource(), p);
        assertThat(walked).containsExactlyElementsOf(nar); // same nodes, same order
        assertThat(walked).extracting(NarTestReader.Node::path).containsSubsequence(
                "", "Zed", "a", "a/b", "a-b", "big.bin", "bin", "bin/run", "bin/run-hardlink", "empty", "hello",
                "lib", "lib/dir-link", "lib/long-link", "\uff21-fullwidth", "\ud83d\ude00-emoji");
        assertThat(walked).filteredOn(NarTestReader.Node::executable).extracting(NarTestReader.Node::path)
                .containsExactly("bin/run", "bin/run-hardlink");
    }

    @IntegrationTest
    @Test
    void singleFileStorePathIsOneRegularNode(@TempDir Path tmp) throws IOException {
        Tools.require("nix-store");
        Path f = Files.writeString(tmp.resolve("single.txt"), "hello\n");
        StorePath p = addToStore(f);
        List<NarTestReader.Node> walked = walk(new LocalStoreSource(), p);
        assertThat(walked).containsExactly(new NarTestReader.Node("", "regular", false, 6,
                Digest.sha256("hello\n".getBytes()).hex()));
        assertThat(walked).containsExactlyElementsOf(
                NarTestReader.parse(Tools.ok("nix-store", "--dump", p.fullPath()).stdout()));
    }

    @Test
    void customRootAndStoreDirWithOwnerExecBitOnly(@TempDir Path tmp) throws IOException {
        Path base = Files.createDirectories(tmp.resolve("custom/store/" + HASH + "-x"));
        Files.setPosixFilePermissions(Files.writeString(base.resolve("others-exec"), "a"),
                PosixFilePermissions.fromString("rw-r-xr-x"));
        Files.setPosixFilePermissions(Files.writeString(base.resolve("owner-exec"), "b"),
                PosixFilePermissions.fromString("rwxr--r--"));
        Files.createSymbolicLink(base.resolve("to-dir"), tmp); // must not be followed
        StorePath p = new StorePath("/custom/store", HASH, "x");
        List<NarTestReader.Node> walked = walk(new LocalStoreSource(tmp), p);
        assertThat(walked).extracting(n -> n.path() + ":" + n.type() + ":" + n.executable()).containsExactly(
                ":directory:false", "others-exec:regular:false", "owner-exec:regular:true", "to-dir:symlink:false");
        assertThat(new LocalStoreSource(tmp).locate(p)).isEqualTo(base);
    }

    @Test
    void socketsAndFifosAreRefused(@TempDir Path tmp) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("nix/store/" + HASH + "-x"));
        StorePath p = StorePath.parse("/nix/store/" + HASH + "-x");
        Path sock = base.resolve("sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            assertThatThrownBy(() -> walk(new LocalStoreSource(tmp), p)).isInstanceOf(IOException.class)
                    .hasMessageContaining("unsupported file type").hasMessageContaining(sock.toString());
        }
        Files.delete(sock);
        if (Tools.available("mkfifo")) {
            Tools.ok("mkfifo", base.resolve("fifo").toString());
            assertThatThrownBy(() -> walk(new LocalStoreSource(tmp), p)).isInstanceOf(IOException.class)
                    .hasMessageContaining("unsupported file type").hasMessageContaining("fifo");
        }
    }

    @Test
    void namesAndTargetsThatAreNotUtf8AreRefused(@TempDir Path tmp) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("nix/store/" + HASH + "-x"));
        StorePath p = StorePath.parse("/nix/store/" + HASH + "-x");
        Tools.sh("cd '" + base + "' && touch \"bad-$(printf '\\377')\"");
        assertThatThrownBy(() -> walk(new LocalStoreSource(tmp), p)).isInstanceOf(IOException.class)
                .hasMessageContaining("not valid UTF-8");
        Tools.sh("cd '" + base + "' && rm bad-* && ln -s \"target-$(printf '\\377')\" link");
        assertThatThrownBy(() -> walk(new LocalStoreSource(tmp), p)).isInstanceOf(IOException.class)
                .hasMessageContaining("not valid UTF-8").hasMessageContaining("link");
        Files.delete(base.resolve("link"));
        Files.createSymbolicLink(base.resolve("\ufffd-ok"), Path.of("\ufffd")); // real U+FFFD round-trips
        assertThat(walk(new LocalStoreSource(tmp), p)).extracting(NarTestReader.Node::detail)
                .containsExactly("", "\ufffd");
    }

    @Test
    void missingStorePathFails(@TempDir Path tmp) {
        StorePath p = StorePath.parse("/nix/store/" + HASH + "-absent");
        assertThatThrownBy(() -> walk(new LocalStoreSource(tmp), p)).isInstanceOf(IOException.class);
    }
}
