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
