package dev.distrolix.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.substituter.NarHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLockTest {
    @TempDir
    Path tmp;

    static final StorePath A = StorePath.parse("/nix/store/m61gsjhj1cmrvvbj19ybgvrnia2vmqvv-nginx-1.22.1");
    static final StorePath B = StorePath.parse("/nix/store/fz11c80wki1g603ra3047sk3wlgj9bc1-glibc-2.36");

    static ImageLock lock(List<ImageLock.LockedPath> paths) {
        return new ImageLock("ab".repeat(32), "x86_64-linux", List.of(new ImageLock.Package("nginx", "nginx", List.of(A))),
                paths, List.of("http://127.0.0.1:1/c"), List.of("k1:" + "A".repeat(43) + "="));
    }

    @Test
    void writesCanonicallyAndReadsBack() throws Exception {
        NarHash h = NarHash.parse("sha256:0xkgn1k0s2714sqzqlyc0kfrh5mzpn6bv8krcc81m45pna0g7z2j");
        ImageLock.LockedPath a = new ImageLock.LockedPath(A, h, 10, List.of(B, A), List.of("k1:y", "k1:x"));
        ImageLock.LockedPath b = new ImageLock.LockedPath(B, h, 20, List.of(), List.of("k1:z"));
        byte[] one = lock(List.of(a, b)).toJson();
        byte[] other = lock(List.of(b, a)).toJson();
        assertThat(other).as("path order does not matter").isEqualTo(one);
        Path f = Files.write(tmp.resolve("image.lock.json"), one);
        ImageLock back = ImageLock.read(f);
        assertThat(back).isEqualTo(lock(List.of(a, b)));
        assertThat(back.toJson()).isEqualTo(one);
        assertThat(new String(one, java.nio.charset.StandardCharsets.UTF_8)).endsWith("}\n").doesNotContain("\r");
    }

    static final StorePath C = StorePath.parse("/nix/store/0i3ns1vqdwpgm8x6qhyy3gps8qabbnfj-nginx-1.22.1");

    @Test
    void aMultiPlatformLockHasAClosurePerSystemSortedAndReadsBack() throws Exception {
        NarHash h = NarHash.parse("sha256:0xkgn1k0s2714sqzqlyc0kfrh5mzpn6bv8krcc81m45pna0g7z2j");
        ImageLock.LockedPath amd = new ImageLock.LockedPath(A, h, 10, List.of(B), List.of("k1:a"));
        ImageLock.LockedPath arm = new ImageLock.LockedPath(C, h, 11, List.of(B), List.of("k1:c"));
        ImageLock.LockedPath shared = new ImageLock.LockedPath(B, h, 20, List.of(), List.of("k1:b"));
        ImageLock.PlatformClosure x86 = new ImageLock.PlatformClosure("x86_64-linux",
                List.of(new ImageLock.Package("nginx", "nginx", List.of(A))), List.of(amd, shared));
        ImageLock.PlatformClosure a64 = new ImageLock.PlatformClosure("aarch64-linux",
                List.of(new ImageLock.Package("nginx", "nginx", List.of(C))), List.of(shared, arm));
        List<String> subs = List.of("http://127.0.0.1:1/c");
        List<String> keys = List.of("k1:" + "A".repeat(43) + "=");
        ImageLock lock = new ImageLock("ab".repeat(32), List.of(x86, a64), true, subs, keys);
        byte[] json = lock.toJson();
        assertThat(new ImageLock("ab".repeat(32), List.of(a64, x86), true, subs, keys).toJson())
                .as("the spec's platform order does not matter").isEqualTo(json);
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("\"platform\" : \"linux/arm64/v8\"", "\"platform\" : \"linux/amd64\"")
                .doesNotContain("\n  \"system\"");
        assertThat(text.indexOf("aarch64-linux")).isLessThan(text.indexOf("x86_64-linux"));
        ImageLock back = ImageLock.read(Files.write(tmp.resolve("image.lock.json"), json));
        assertThat(back).isEqualTo(lock);
        assertThat(back.systems()).containsExactly("aarch64-linux", "x86_64-linux");
        assertThat(back.closureFor("aarch64-linux").orElseThrow().packages().get(0).outputs()).containsExactly(C);
        assertThat(back.allPaths()).extracting(ImageLock.LockedPath::path).containsExactlyInAnyOrder(A, B, C);
        assertThat(back.expected()).containsOnlyKeys(A, B, C);
    }

    @Test
    void aPathLockedTwiceDifferentlyIsRefused() throws Exception {
        NarHash h = NarHash.parse("sha256:0xkgn1k0s2714sqzqlyc0kfrh5mzpn6bv8krcc81m45pna0g7z2j");
        ImageLock.PlatformClosure one = new ImageLock.PlatformClosure("x86_64-linux", List.of(),
                List.of(new ImageLock.LockedPath(B, h, 20, List.of(), List.of())));
        ImageLock.PlatformClosure other = new ImageLock.PlatformClosure("aarch64-linux", List.of(),
                List.of(new ImageLock.LockedPath(B, h, 21, List.of(), List.of())));
        assertThatThrownBy(() -> new ImageLock("ab".repeat(32), List.of(one, other), true, List.of(), List.of()))
                .hasMessageContaining(B.fullPath()).hasMessageContaining("locked twice");
        ImageLock.PlatformClosure same = new ImageLock.PlatformClosure("aarch64-linux", List.of(), one.paths());
        // a file whose second closure says another size for the same path
        String twice = new String(new ImageLock("ab".repeat(32), List.of(one, same), true, List.of(), List.of()).toJson(),
                java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\"narSize\" : 20", "\"narSize\" : 21");
        Path f = Files.writeString(tmp.resolve("twice.lock.json"), twice);
        assertThatThrownBy(() -> ImageLock.read(f)).isInstanceOf(InputException.class)
                .hasMessageContaining("locked twice").hasMessageContaining("run distrolix lock again");
        Path none = Files.writeString(tmp.resolve("none.lock.json"), "{\"schemaVersion\": 1, \"platforms\": [],"
                + " \"spec\": {\"sha256\": \"ab\"}, \"substituters\": [], \"trustedPublicKeys\": []}");
        assertThatThrownBy(() -> ImageLock.read(none)).isInstanceOf(InputException.class).hasMessageContaining("empty");
    }

    @Test
    void aMissingOrBrokenLockSaysToLock() throws Exception {
        assertThatThrownBy(() -> ImageLock.read(tmp.resolve("nope.lock.json")))
                .isInstanceOf(InputException.class).hasMessageContaining("run distrolix lock");
        Path f = Files.writeString(tmp.resolve("bad.lock.json"), "{\"schemaVersion\": 2}");
        assertThatThrownBy(() -> ImageLock.read(f)).isInstanceOf(InputException.class)
                .hasMessageContaining("schemaVersion").hasMessageContaining("distrolix lock");
        assertThat(ImageLock.fileFor(Path.of("a/image.yaml"))).isEqualTo(Path.of("a/image.lock.json"));
    }

    @Test
    void aLockLargerThanALockIsOrNotAFileIsRefusedUnread() throws Exception {
        Path big = tmp.resolve("big.lock.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB the old whole-file read asked the heap for
        }
        assertThatThrownBy(() -> ImageLock.read(big)).isInstanceOf(InputException.class)
                .hasMessage(big + ": larger than 4 MiB; a lock is never that large");
        assertThatThrownBy(() -> ImageLock.read(Path.of("/dev/zero"))).isInstanceOf(InputException.class)
                .hasMessage("/dev/zero: not a regular file; a lock is read from a file");
        // Jackson's limits named without its class names
        Path deep = Files.writeString(tmp.resolve("deep.lock.json"), "[".repeat(100) + "]".repeat(100));
        assertThatThrownBy(() -> ImageLock.read(deep)).isInstanceOf(InputException.class)
                .hasMessageContaining("not a valid lock (").hasMessageNotContaining("StreamReadConstraints");
    }

    @Test
    void aNixConfLargerThanOneIsRefusedUnread() throws Exception {
        Path big = tmp.resolve("nix.conf");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: the old whole-file read ended in 'out of memory', exit 1
        }
        Map<String, List<String>> s = new HashMap<>();
        assertThatThrownBy(() -> NixConf.read(big, s)).isInstanceOf(InputException.class)
                .hasMessage(big + ": larger than 1 MiB; a nix.conf is never that large");
        NixConf.read(Path.of("/dev/zero"), s); // not a regular file: Nix's defaults are not read from it
        assertThat(s).isEmpty();
    }

    @Test
    void nixConfSettingsAndExtras() {
        Map<String, List<String>> s = new HashMap<>();
        NixConf.parse("substituters = https://a https://b # comment\ntrusted-public-keys = k:1\n"
                + "extra-substituters = https://c\nsandbox = false\n", s);
        NixConf.parse("substituters =\n", s);
        NixConf.parse("extra-trusted-public-keys = k:2\n", s);
        assertThat(s.get("substituters")).isEmpty();
        assertThat(s.get("trusted-public-keys")).containsExactly("k:1", "k:2");
        assertThat(s).doesNotContainKey("sandbox");
    }
}
