package dev.distrolix.inspect.refs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.image.ClosureGraphLabel;
import dev.distrolix.blob.Digest;
import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.inspect.scan.ImageScan;
import dev.distrolix.nix.Nix32;
import dev.distrolix.image.Image;
import dev.distrolix.image.Layer;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import dev.distrolix.testing.AuditFixtures;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Reference graph and NAR hashes rebuilt from an image's bytes, against what Nix recorded. */
class ReferenceScanTest {
    @IntegrationTest
    @Test
    void theNginxImagesGraphAndNarHashesAreNixsOwn() throws Exception {
        ReferenceScanner refs = new ReferenceScanner();
        NarHasher nar = new NarHasher();
        try (OpenedImage h = Transports.open(AuditFixtures.nginx(), RegistrySettings.defaults())) {
            FlatFilesystem fs = ImageScan.run(h.image(), List.of(refs, nar));
            StorePathIndex store = StorePathIndex.of(fs);
            ReferenceGraph g = refs.graph(fs, store);

            // what Nix itself says, from the local store
            String closureJson = Fixtures.run("nix", "--extra-experimental-features", "nix-command", "path-info",
                    "--json", "-r", Fixtures.storePath("nginx"));
            SortedMap<String, TreeSet<String>> nixRefs = new TreeMap<>();
            Map<String, String> nixHashes = new TreeMap<>();
            for (JsonNode p : new ObjectMapper().readTree(closureJson)) {
                String base = p.get("path").asText().substring("/nix/store/".length());
                TreeSet<String> r = new TreeSet<>();
                p.get("references").forEach(x -> r.add(x.asText().substring("/nix/store/".length())));
                r.remove(base);
                nixRefs.put(base, r);
                nixHashes.put(base, p.get("narHash").asText());
            }
            assertThat(g.paths()).containsExactlyElementsOf(nixRefs.keySet());
            for (String p : g.paths()) {
                assertThat(g.references(p).keySet()).as("references of %s", p).containsExactlyElementsOf(nixRefs.get(p));
            }
            // the build put the same graph into the config label
            String label = h.image().config().config().labels().get(ClosureGraphLabel.LABEL);
            assertThat(ClosureGraphLabel.decode(label)).isEqualTo(nixRefs);

            SortedMap<String, Digest> hashes = nar.hashes(fs);
            assertThat(nar.failures()).isEmpty();
            assertThat(hashes.keySet()).containsExactlyElementsOf(nixHashes.keySet());
            hashes.forEach((base, d) -> assertThat(sri(d)).as("narHash of %s", base).isEqualTo(nixHashes.get(base)));

            String nginx = store.entries().stream().filter(e -> e.name().equals("nginx")).findFirst().orElseThrow().baseName();
            assertThat(g.references(nginx).values()).contains("bin/nginx"); // the file that names them
            assertThat(g.roots()).containsExactly(nginx);
            assertThat(g.outsideReferrers(nginx)).as("outside").contains("/usr/local/bin", "/etc/nginx/nginx.conf");
        }
    }

    @IntegrationTest
    @Test
    void theJreImageIsReadInOneStreamingPass() throws Exception {
        String ref = AuditFixtures.jre();
        try (OpenedImage h = Transports.open(ref, RegistrySettings.defaults())) {
            var img = h.image();
            Map<String, Integer> opened = new TreeMap<>();
            Image counting = new CountingImage(img, layer -> {
                opened.merge(layer.digest().toString(), 1, Integer::sum);
                return layer.openRaw();
            });
            var sbom = dev.distrolix.inspect.sbom.SbomBuilder.build(ref, h.displayName(), counting);
            assertThat(opened).hasSize(img.layers().size()).allSatisfy((loc, n) -> assertThat(n).as(loc).isEqualTo(1));
            assertThat(sbom.components().stream().mapToLong(c -> c.size()).sum()).isGreaterThan(200_000_000L);
            assertThat(sbom.check().status()).isEqualTo(dev.distrolix.inspect.sbom.GraphCheck.Status.AGREES);
            assertThat(sbom.components()).allMatch(c -> c.narHash() != null);
        }
    }

    @Test
    void windowsStraddlingReadBuffersAreFound() {
        String hash = "0mdqa9w1p6cmli6976v4wi0sw9r4p5pr";
        byte[] text = ("xx /nix/store/" + hash + "-glibc-2.36/lib\0 eee").getBytes(StandardCharsets.US_ASCII);
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<String> found = new ArrayList<>();
            HashWindowScanner s = new HashWindowScanner(found::add);
            int pos = 0;
            while (pos < text.length) {
                int n = Math.min(text.length - pos, 1 + r.nextInt(8));
                s.update(text, pos, n);
                pos += n;
            }
            assertThat(found).contains(hash);
        }
    }

    @Test
    void aLongRunGivesEveryWindowAndShortRunsNone() {
        List<String> found = new ArrayList<>();
        HashWindowScanner.scan("a".repeat(31) + "-" + "b".repeat(40), found::add);
        assertThat(found).hasSize(9).allMatch(w -> w.equals("b".repeat(32)));
        assertThat(Nix32.encode(new byte[20])).isEqualTo("0".repeat(32));
    }

    /** Opens a layer's raw blob; the test's hook to count opens. */
    interface RawOpener {
        InputStream open(Layer layer) throws IOException;
    }

    /** {@code image}, with its layers' raw blobs opened through {@code opener}. */
    record CountingImage(Image image, RawOpener opener) implements Image {
        @Override
        public byte[] manifestBytes() {
            return image.manifestBytes();
        }

        @Override
        public Digest manifestDigest() {
            return image.manifestDigest();
        }

        @Override
        public String mediaType() {
            return image.mediaType();
        }

        @Override
        public byte[] configBytes() {
            return image.configBytes();
        }

        @Override
        public Digest configDigest() {
            return image.configDigest();
        }

        @Override
        public dev.distrolix.image.Descriptor configDescriptor() {
            return image.configDescriptor();
        }

        @Override
        public dev.distrolix.image.ImageConfig config() {
            return image.config();
        }

        @Override
        public Digest sourceDigest() {
            return image.sourceDigest();
        }

        @Override
        public boolean converted() {
            return image.converted();
        }

        @Override
        public List<Layer> layers() {
            return image.layers().stream().<Layer>map(l -> new CountingLayer(l, opener)).toList();
        }
    }

    record CountingLayer(Layer layer, RawOpener opener) implements Layer {
        @Override
        public Digest digest() {
            return layer.digest();
        }

        @Override
        public Digest diffId() {
            return layer.diffId();
        }

        @Override
        public long size() {
            return layer.size();
        }

        @Override
        public String mediaType() {
            return layer.mediaType();
        }

        @Override
        public long uncompressedSize() {
            return layer.uncompressedSize();
        }

        @Override
        public String label() {
            return layer.label();
        }

        @Override
        public InputStream openRaw() throws IOException {
            return opener.open(layer);
        }
    }

    static String sri(Digest d) {
        byte[] raw = java.util.HexFormat.of().parseHex(d.hex());
        return "sha256-" + Base64.getEncoder().encodeToString(raw);
    }
}
