package dev.distrolix.inspect.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.distrolix.image.ClosureGraphLabel;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import dev.distrolix.testing.AuditFixtures;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.OciTamper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

/** SBOMs of real images, checked against the official CycloneDX (cyclonedx-core-java) and SPDX 2.3 schemas. */
@IntegrationTest
class SbomTest {
    static ImageSbom sbom(String ref) throws Exception {
        try (OpenedImage h = Transports.open(ref, RegistrySettings.defaults())) {
            return SbomBuilder.build(ref, h.displayName(), h.image());
        }
    }

    /** name → version of the fixture's closure, from the store path names Nix built. */
    static Map<String, String> fixtureVersions() {
        Map<String, String> m = new TreeMap<>();
        for (String p : Fixtures.run("nix-store", "-qR", Fixtures.storePath("nginx")).split("\n")) {
            String nameVersion = p.substring("/nix/store/".length() + 33);
            int dash = nameVersion.lastIndexOf('-');
            m.put(nameVersion.substring(0, dash), nameVersion.substring(dash + 1));
        }
        return m;
    }

    static String base(ImageSbom s, String name) {
        return s.components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().baseName();
    }

    @Test
    void theNginxExampleListsTheSixFixturePackagesAndNginxsEdges() throws Exception {
        ImageSbom s = sbom(AuditFixtures.nginx());
        Map<String, String> versions = new TreeMap<>();
        s.components().forEach(c -> versions.put(c.name(), c.version()));
        assertThat(versions).isEqualTo(fixtureVersions()).containsEntry("nginx", "1.22.1").containsEntry("glibc", "2.36")
                .hasSize(6);
        Set<String> nginxRefs = s.dependencies().get(base(s, "nginx")).stream()
                .map(b -> s.component(b).name()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(nginxRefs).containsExactly("glibc", "libxcrypt", "openssl", "pcre2", "zlib");
        assertThat(s.dependencies().get(base(s, "glibc"))).isEmpty();
        assertThat(s.roots()).containsExactly(base(s, "nginx"));
        assertThat(s.check().status()).isEqualTo(GraphCheck.Status.AGREES);
        assertThat(s.check().summary()).isEqualTo("graph: scanned, agrees with build-time graph");
        assertThat(s.components()).allMatch(c -> c.narHash() != null);
        assertThat(s.component(base(s, "nginx")).purl()).isEqualTo("pkg:nix/nginx@1.22.1");
    }

    @Test
    void cycloneDxIsValidForTheOfficialSchemaAndParsesBack() throws Exception {
        ImageSbom s = sbom(AuditFixtures.nginx());
        String json = CycloneDxWriter.write(s, Instant.parse("2026-01-02T03:04:05Z"), "test");
        JsonParser parser = new JsonParser();
        assertThat(parser.validate(json.getBytes(StandardCharsets.UTF_8), org.cyclonedx.Version.VERSION_16)).isEmpty();
        Bom bom = parser.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(bom.getComponents()).hasSize(6);
        assertThat(bom.getComponents()).extracting(Component::getPurl).contains("pkg:nix/nginx@1.22.1",
                "pkg:nix/glibc@2.36", "pkg:nix/openssl@" + fixtureVersions().get("openssl"));
        Component nginx = bom.getComponents().stream().filter(c -> c.getName().equals("nginx")).findFirst().orElseThrow();
        assertThat(nginx.getHashes()).singleElement().satisfies(h -> {
            assertThat(h.getAlgorithm()).isEqualTo("SHA-256");
            assertThat(h.getValue()).isEqualTo(s.component(base(s, "nginx")).narHash().hex());
        });
        Dependency nginxDeps = bom.getDependencies().stream().filter(d -> d.getRef().equals(base(s, "nginx")))
                .findFirst().orElseThrow();
        assertThat(nginxDeps.getDependencies()).extracting(Dependency::getRef)
                .containsExactlyInAnyOrder(base(s, "openssl"), base(s, "pcre2"), base(s, "zlib"), base(s, "libxcrypt"),
                        base(s, "glibc"));
        assertThat(bom.getMetadata().getComponent().getType()).isEqualTo(Component.Type.CONTAINER);
        // the same image gives the same document
        assertThat(CycloneDxWriter.write(sbom(AuditFixtures.nginx()), Instant.parse("2026-01-02T03:04:05Z"), "test"))
                .isEqualTo(json);
    }

    @Test
    void spdxIsValidForTheSpdx23Schema() throws Exception {
        ImageSbom s = sbom(AuditFixtures.nginx());
        String json = SpdxWriter.write(s, Instant.parse("2026-01-02T03:04:05Z"), "test");
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/spdx/spdx-schema-v2.3.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(in);
        }
        JsonNode doc = new ObjectMapper().readTree(json);
        Set<ValidationMessage> errors = schema.validate(doc);
        assertThat(errors).isEmpty();
        // and the schema does catch a broken document
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove("creationInfo");
        assertThat(schema.validate(doc)).isNotEmpty();

        JsonNode ok = new ObjectMapper().readTree(json);
        assertThat(ok.get("packages")).hasSize(7); // the image + 6 store paths
        List<String> deps = new ArrayList<>();
        ok.get("relationships").forEach(r -> {
            if (r.get("relationshipType").asText().equals("DEPENDS_ON")
                    && r.get("spdxElementId").asText().equals(SpdxWriter.id(base(s, "nginx")))) {
                deps.add(r.get("relatedSpdxElement").asText());
            }
        });
        assertThat(deps).containsExactlyInAnyOrder(SpdxWriter.id(base(s, "openssl")), SpdxWriter.id(base(s, "pcre2")),
                SpdxWriter.id(base(s, "zlib")), SpdxWriter.id(base(s, "libxcrypt")), SpdxWriter.id(base(s, "glibc")));
    }

    @Test
    void aBuildGraphThatDisagreesIsListedAndNoneIsSaidSo() throws Exception {
        // drop nginx → zlib from the label: the scan still finds it
        String tampered = OciTamper.withConfig(AuditFixtures.nginx(), AuditFixtures.newDir("tampered").resolve("oci"), c -> {
            var labels = OciTamper.labels(c);
            var graph = ClosureGraphLabel.decode(labels.get(ClosureGraphLabel.LABEL).asText());
            String nginx = graph.keySet().stream().filter(k -> k.endsWith("-nginx-1.22.1")).findFirst().orElseThrow();
            String zlib = graph.keySet().stream().filter(k -> k.contains("-zlib-")).findFirst().orElseThrow();
            graph.get(nginx).remove(zlib);
            var out = new ObjectMapper().createObjectNode();
            graph.forEach((k, v) -> {
                var arr = out.putArray(k);
                v.forEach(arr::add);
            });
            labels.put(ClosureGraphLabel.LABEL, out.toString());
        });
        ImageSbom s = sbom(tampered);
        assertThat(s.check().status()).isEqualTo(GraphCheck.Status.DIFFERS);
        assertThat(s.check().onlyScanned()).containsExactly(base(s, "nginx") + " → " + base(s, "zlib"));
        assertThat(s.check().onlyInBuild()).isEmpty();
        assertThat(s.check().summary()).startsWith("graph: scanned, DIFFERS from build-time graph: 1 edge(s) only found by scanning");

        String unlabelled = OciTamper.withConfig(AuditFixtures.nginx(), AuditFixtures.newDir("unlabelled").resolve("oci"),
                c -> OciTamper.labels(c).remove(ClosureGraphLabel.LABEL));
        ImageSbom u = sbom(unlabelled);
        assertThat(u.check().status()).isEqualTo(GraphCheck.Status.NO_BUILD_GRAPH);
        assertThat(u.dependencies()).isEqualTo(s.dependencies()); // the scan alone gives the graph
    }

    @Test
    void anImageWithoutAStoreHasNoComponents() throws Exception {
        ImageSbom s = sbom(AuditFixtures.debian());
        assertThat(s.components()).isEmpty();
        assertThat(s.check().status()).isEqualTo(GraphCheck.Status.NO_BUILD_GRAPH);
        String json = CycloneDxWriter.write(s, Instant.now(), "test");
        assertThat(new JsonParser().validate(json.getBytes(StandardCharsets.UTF_8), org.cyclonedx.Version.VERSION_16)).isEmpty();
    }

    /**
     * A scan with records gives the same SBOM as one without, and once every layer is recorded it reads no
     * layer at all: the copy's layer blobs are overwritten with zeros and the SBOM is still the same (and
     * cannot be made without the records: a blob that is not what its digest says is refused).
     */
    @Test
    void aSecondScanReplaysEveryLayerAndReadsNoBlob(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String ref = AuditFixtures.nginx();
        java.nio.file.Path layout = java.nio.file.Path.of(ref.substring("oci:".length(), ref.lastIndexOf(':')));
        java.nio.file.Path copyDir = tmp.resolve("layout");
        try (var walk = java.nio.file.Files.walk(layout)) {
            for (java.nio.file.Path p : walk.toList()) {
                java.nio.file.Files.copy(p, copyDir.resolve(layout.relativize(p).toString()));
            }
        }
        String copy = "oci:" + copyDir + ":test";
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        String read = CycloneDxWriter.write(sbom(copy), at, "test");
        dev.distrolix.inspect.scan.ScanCache cache = dev.distrolix.inspect.scan.ScanCache.in(tmp.resolve("scans"),
                tmp.resolve("scan-records.key"));
        try (OpenedImage h = Transports.open(copy, RegistrySettings.defaults())) {
            assertThat(CycloneDxWriter.write(SbomBuilder.build(copy, h.displayName(), h.image(), cache), at, "test"))
                    .isEqualTo(read);
            assertThat(h.image().layers()).hasSizeGreaterThan(3);
            for (dev.distrolix.image.Layer l : h.image().layers()) {
                java.nio.file.Path blob = copyDir.resolve("blobs/sha256/" + l.digest().hex());
                java.nio.file.Files.write(blob, new byte[(int) java.nio.file.Files.size(blob)]);
            }
        }
        try (OpenedImage h = Transports.open(copy, RegistrySettings.defaults())) {
            assertThat(CycloneDxWriter.write(SbomBuilder.build(copy, h.displayName(), h.image(), cache), at, "test"))
                    .isEqualTo(read);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SbomBuilder.build(copy, h.displayName(), h.image()))
                    .isInstanceOf(dev.distrolix.InputException.class);
        }
    }
}
