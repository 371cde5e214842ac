package dev.distrolix.testing.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.InputException;
import dev.distrolix.blob.Compression;
import dev.distrolix.image.Image;
import dev.distrolix.image.PlatformChoice;
import dev.distrolix.inspect.LayerWalker;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.testing.Trials;
import dev.distrolix.transport.ImageReference;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated inputs to every parser of outside input — specs, references, tar archives,
 * layer blobs (gzip, zstd, tar), manifest/config/index JSON — end in success or the project's
 * {@link InputException}, never another exception, and each within a time bound. Seeded
 * ({@link Trials}): a failure names its seed and input.
 */
class ParserPropertyTest {
    private static final long BOUND_MS = 5_000;

    @TempDir
    Path tmp;

    /** Runs {@code r}; passes on success or an InputException; anything else fails, as does a slow run. */
    static void onlyInputErrors(ThrowingRunnable r) {
        long start = System.nanoTime();
        try {
            r.run();
        } catch (InputException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
        } catch (Exception e) {
            throw new AssertionError("not an input error: " + e, e);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(BOUND_MS);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A mutation of {@code b}: bit flips, a truncation, an insertion, or a splice of random bytes. */
    static byte[] mutate(SplittableRandom r, byte[] b) {
        byte[] out = b.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                for (int i = 1 + r.nextInt(8); i > 0 && out.length > 0; i--) {
                    out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> out = Arrays.copyOf(out, out.length == 0 ? 0 : r.nextInt(out.length));
            case 2 -> {
                int at = out.length == 0 ? 0 : r.nextInt(out.length);
                byte[] ins = new byte[1 + r.nextInt(600)];
                r.nextBytes(ins);
                byte[] n = new byte[out.length + ins.length];
                System.arraycopy(out, 0, n, 0, at);
                System.arraycopy(ins, 0, n, at, ins.length);
                System.arraycopy(out, at, n, at + ins.length, out.length - at);
                out = n;
            }
            default -> {
                if (out.length > 0) {
                    int at = r.nextInt(out.length);
                    byte[] junk = new byte[Math.min(out.length - at, 1 + r.nextInt(64))];
                    r.nextBytes(junk);
                    System.arraycopy(junk, 0, out, at, junk.length);
                }
            }
        }
        return out;
    }

    @Test
    void specsRandomAndMutated() {
        String valid = "name: app\npackages:\n  - nginx\nentrypoint: [\"/bin/nginx\", \"-g\", \"daemon off;\"]\n"
                + "env:\n  A: \"1\"\nuser: 1000\npaths:\n  - { path: /etc/x, type: directory }\n";
        Trials.forAll(400, r -> r.nextInt(3) == 0
                ? Trials.joined(r, 0, 40, "name", ":", " ", "\n", "-", "[", "]", "{", "}", "&a", "*a", "!!binary", "'",
                        "\"", "packages", "\t", "#", "<<: *a", "? ", "|", ">", "%", "@", "\\u0000")
                : new String(mutate(r, valid.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8),
                text -> onlyInputErrors(() -> SpecLoader.fromString(text, "spec.yaml", tmp)));
    }

    @Test
    void referencesRandomAndMutated() {
        String[] valid = {"oci:out/x:1", "oci-archive:/tmp/a.tar:tag", "docker-archive:a.tar:localhost/x:1",
                "docker://127.0.0.1:5000/a/b:1", "docker://r.example/x@sha256:" + "a".repeat(64), "podman:x:1",
                "docker:localhost/x", "oci:/a/b@sha256:" + "0".repeat(64)};
        Trials.forAll(2000, r -> r.nextInt(3) == 0
                ? Trials.joined(r, 0, 20, "oci", ":", "docker", "//", "/", "@", "sha256", "a", "A", "..", "-", "_",
                        ".", "1", " ", "podman", "archive", "%", "\u00e9", "\u0000", "::", "[", "]")
                : new String(mutate(r, Trials.oneOf(r, valid).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8),
                s -> onlyInputErrors(() -> {
                    ImageReference.parse(s);
                }));
        Trials.forAll(500, r -> Trials.oneOf(r, valid).substring(0, 1 + r.nextInt(8)) + Trials.joined(r, 0, 6, ":",
                "/", "x", "@", "sha256:", "..", "1"),
                s -> onlyInputErrors(() -> {
                    if (!Files.exists(Path.of(s.replaceAll("^[a-z-]+:", "")))) {
                        ImageReference.parseSource(s);
                    }
                }));
    }

    /** Reads everything: open, pick, walk every tar entry, drain every layer. */
    static void readAll(String reference) throws IOException {
        try (OpenedImage o = Transports.open(reference, RegistrySettings.defaults())) {
            Image image = PlatformChoice.pick(o.artifact(), null, reference);
            LayerWalker.walk(image, (layer, entry, content) -> content.sha256());
            for (int i = 0; i < image.layers().size(); i++) {
                try (InputStream in = image.layers().get(i).uncompressed()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
    }

    @Test
    void ociArchivesMutated() throws IOException {
        Path src = HostileCorpus.layout(tmp.resolve("src"), HostileCorpus.Spec.gzipped(HostileCorpus.goodTar("a"),
                HostileCorpus.goodTar("b"))).dir();
        byte[] archive = HostileCorpus.archiveOf(src);
        Path file = tmp.resolve("m.tar");
        int[] n = {0};
        Trials.forAll(300, r -> mutate(r, archive), bytes -> onlyInputErrors(() -> {
            Path f = tmp.resolve("m" + n[0]++ + ".tar");
            Files.write(f, bytes);
            try {
                readAll("oci-archive:" + f);
            } finally {
                Files.delete(f);
            }
        }));
        assertThat(file).doesNotExist();
    }

    @Test
    void layoutDocumentsMutated() throws IOException {
        HostileCorpus.Written w = HostileCorpus.layout(tmp.resolve("l"), HostileCorpus.Spec.gzipped(
                HostileCorpus.goodTar("a")));
        byte[] index = Files.readAllBytes(w.dir().resolve("index.json"));
        byte[] manifest = Files.readAllBytes(w.manifest());
        byte[] config = Files.readAllBytes(w.config());
        // mutate one of the three documents, keeping the others (and their digests) as they were
        Trials.forAll(600, r -> new Object[] {r.nextInt(3), mutate(r, new byte[][] {index, manifest, config}[r.nextInt(3)])},
                in -> onlyInputErrors(() -> {
                    int which = (int) in[0];
                    Path target = which == 0 ? w.dir().resolve("index.json") : which == 1 ? w.manifest() : w.config();
                    byte[] original = which == 0 ? index : which == 1 ? manifest : config;
                    Files.write(target, (byte[]) in[1]);
                    try {
                        readAll("oci:" + w.dir());
                    } finally {
                        Files.write(target, original);
                    }
                }));
    }

    @Test
    void layerBlobsMutatedWithMatchingDigests() throws IOException {
        byte[] tar = new HostileTar().dir("etc/").file("etc/a", "hello\n").symlink("etc/l", "a")
                .pax("path=etc/" + "long".repeat(40)).file("ignored", "x").bytes();
        byte[][] blobs = {tar, HostileCorpus.gzip(tar), HostileCorpus.zstd(tar)};
        String[] types = {HostileCorpus.TAR_LAYER, HostileCorpus.GZIP_LAYER, HostileCorpus.ZSTD_LAYER};
        int[] n = {0};
        Trials.forAll(600, r -> {
            int k = r.nextInt(3);
            return new Object[] {k, mutate(r, blobs[k])};
        }, in -> onlyInputErrors(() -> {
            int k = (int) in[0];
            byte[] blob = (byte[]) in[1];
            // the manifest's digest is the mutated blob's; the diff_id that of the original tar,
            // unless the mutated blob still decompresses, whose tar then gets its own
            byte[] diffIdTar = decompressOrNull(blob);
            HostileCorpus.Written w = HostileCorpus.layout(tmp.resolve("b" + n[0]++), new HostileCorpus.Spec(
                    java.util.List.of(blob), java.util.List.of(diffIdTar == null ? tar : diffIdTar), types[k]));
            readAll("oci:" + w.dir());
        }));
    }

    private static byte[] decompressOrNull(byte[] blob) {
        try (InputStream in = Compression.sniff(new java.io.ByteArrayInputStream(blob)).decompressed()) {
            return in.readNBytes(1 << 20);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Test
    void randomBytesAsEveryKindOfSource() {
        int[] n = {0};
        Trials.forAll(300, r -> {
            byte[] b = new byte[r.nextInt(3000)];
            r.nextBytes(b);
            if (r.nextBoolean() && b.length >= 512) {
                System.arraycopy(HostileTar.header("index.json", '0', r.nextInt(5000)), 0, b, 0, 512);
            }
            return b;
        }, bytes -> onlyInputErrors(() -> {
            Path f = tmp.resolve("r" + n[0]++ + ".tar");
            Files.write(f, bytes);
            for (String kind : new String[] {"oci-archive:", "docker-archive:", ""}) {
                try {
                    readAll(kind + f);
                } catch (InputException e) {
                    // expected; go on with the next kind
                }
            }
            throw new InputException("done");
        }));
    }
}
