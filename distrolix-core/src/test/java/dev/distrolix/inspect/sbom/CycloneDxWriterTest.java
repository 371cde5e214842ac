package dev.distrolix.inspect.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * The streaming writer against cyclonedx-core-java's own model and generator: the same bytes for random
 * SBOMs (no components, no version, no NAR hash, no roots, names that JSON must escape), and every one
 * valid for the library's CycloneDX 1.6 schema.
 */
class CycloneDxWriterTest {
    private static final String CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._+\"\\/é€\u0001  \t\n\r";

    @Test
    void writesWhatTheLibraryWritesForRandomSboms() throws Exception {
        Random r = new Random(20261203);
        JsonParser parser = new JsonParser();
        for (int trial = 0; trial < 400; trial++) {
            ImageSbom sbom = randomSbom(r);
            Instant at = Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000));
            String version = trial % 7 == 0 ? "" : word(r, 1 + r.nextInt(8));
            String ours = CycloneDxWriter.write(sbom, at, version);
            assertThat(ours).as("trial %d", trial).isEqualTo(library(sbom, at, version));
            if (trial % 20 == 0) { // the schema check is slow; the bytes are the library's anyway
                assertThat(parser.validate(ours.getBytes(StandardCharsets.UTF_8), Version.VERSION_16))
                        .as("trial %d", trial).isEmpty();
            }
        }
    }

    private static ImageSbom randomSbom(Random r) {
        int n = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(12);
        List<ImageSbom.Component> components = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String hash = nix32(r);
            String name = "p" + word(r, 1 + r.nextInt(10));
            String version = r.nextInt(3) == 0 ? "" : r.nextInt(10) + "." + r.nextInt(100);
            String base = hash + "-" + name + (version.isEmpty() ? "" : "-" + version);
            bases.add(base);
            byte[] h = new byte[32];
            r.nextBytes(h);
            Digest nar = r.nextInt(5) == 0 ? null : Digest.sha256(h);
            components.add(new ImageSbom.Component(base, hash, name, version, r.nextInt(1 << 30), r.nextInt(100), nar,
                    nar == null ? "unreadable" : null));
        }
        SortedMap<String, SortedSet<String>> deps = new TreeMap<>();
        for (String b : bases) {
            SortedSet<String> to = new TreeSet<>();
            bases.stream().filter(x -> r.nextInt(3) == 0).forEach(to::add);
            deps.put(b, to);
        }
        SortedSet<String> roots = new TreeSet<>();
        bases.stream().filter(x -> r.nextInt(4) == 0).forEach(roots::add);
        GraphCheck check = r.nextBoolean() ? GraphCheck.noBuildGraph() : GraphCheck.unreadable(word(r, 12));
        return new ImageSbom("ref", word(r, 1 + r.nextInt(20)), "sha256:" + nix32(r), Instant.EPOCH, components, deps,
                roots, check);
    }

    private static String word(Random r, int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append(CHARS.charAt(r.nextInt(CHARS.length())));
        }
        return b.toString();
    }

    private static String nix32(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            b.append("0123456789abcdfghijklmnpqrsvwxyz".charAt(r.nextInt(32)));
        }
        return b.toString();
    }

    /** The document as cyclonedx-core-java's model and generator write it (how distrolix wrote it before). */
    static String library(ImageSbom sbom, Instant timestamp, String toolVersion) throws Exception {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("distrolix-sbom:" + sbom.digest()).getBytes(
                StandardCharsets.UTF_8)));
        Metadata md = new Metadata();
        md.setTimestamp(Date.from(timestamp));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("distrolix");
        tool.setVersion(toolVersion);
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        md.setToolChoice(tools);
        Component image = new Component();
        image.setType(Component.Type.CONTAINER);
        image.setBomRef("image");
        image.setName(sbom.name());
        image.setVersion(sbom.digest());
        image.addProperty(property("distrolix:graph", sbom.check().summary()));
        md.setComponent(image);
        bom.setMetadata(md);
        List<Component> components = new ArrayList<>();
        for (ImageSbom.Component c : sbom.components()) {
            Component comp = new Component();
            comp.setType(Component.Type.LIBRARY);
            comp.setBomRef(c.baseName());
            comp.setName(c.name());
            if (!c.version().isEmpty()) {
                comp.setVersion(c.version());
            }
            comp.setPurl(c.purl());
            if (c.narHash() != null) {
                comp.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, c.narHash().hex())));
                comp.addProperty(property("nix:nar-hash", c.narHashSri()));
            }
            comp.addProperty(property("nix:store-path", c.storePath()));
            comp.addProperty(property("nix:size", Long.toString(c.size())));
            components.add(comp);
        }
        bom.setComponents(components);
        List<Dependency> deps = new ArrayList<>();
        Dependency top = new Dependency("image");
        sbom.roots().forEach(x -> top.addDependency(new Dependency(x)));
        deps.add(top);
        sbom.dependencies().forEach((from, tos) -> {
            Dependency d = new Dependency(from);
            tos.forEach(t -> d.addDependency(new Dependency(t)));
            deps.add(d);
        });
        bom.setDependencies(deps);
        return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value);
        return p;
    }
}
