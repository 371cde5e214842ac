package dev.distrolix.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.transport.LayoutManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing and verifying in an OCI layout: the store needs no tool, so every rule is checked here. */
class LayoutSigningTest {
    static final String ID = "127.0.0.1:5000/app:1";
    @TempDir
    Path dir;
    KeyPair key;
    KeyPair other;

    @BeforeEach
    void setUp() throws Exception {
        key = PayloadsTest.keys();
        other = PayloadsTest.keys();
        image("1", "first");
    }

    /** A layout entry tagged {@code tag}: any manifest will do, only its digest is signed. */
    Digest image(String tag, String content) throws Exception {
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("oci-layout"))) {
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        }
        byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"x\":\"" + content + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        LayoutManifests.write(dir, tag, m, MediaTypes.OCI_MANIFEST, Map.of());
        return Digest.sha256(m);
    }

    AttachmentStore store(String tag) throws Exception {
        return LayoutAttachments.open(dir, tag, ID);
    }

    @Test
    void aSignatureVerifiesWithItsKeyOnly() throws Exception {
        ImageSigning.Signed s = ImageSigning.sign(store("1"), PayloadsTest.signer(key), "distrolix test");
        assertThat(s.added()).isTrue();
        ImageVerification.Verified v = ImageVerification.verify(store("1"), key.getPublic(), Optional.empty());
        assertThat(v.signatures()).singleElement().satisfies(p -> {
            assertThat(p.dockerReference()).isEqualTo(ID);
            assertThat(p.manifestDigest()).isEqualTo(s.imageDigest());
        });
        assertThatThrownBy(() -> ImageVerification.verify(store("1"), other.getPublic(), Optional.empty()))
                .isInstanceOf(NotVerifiedException.class)
                .hasMessageStartingWith("no signature by this key for " + s.imageDigest() + ": 1 does not verify with it");
    }

    @Test
    void signingTwiceWithOneKeyAddsNothingAndAnotherKeyIsAppended() throws Exception {
        ImageSigning.sign(store("1"), PayloadsTest.signer(key), null);
        assertThat(ImageSigning.sign(store("1"), PayloadsTest.signer(key), null).added()).isFalse();
        assertThat(ImageSigning.sign(store("1"), PayloadsTest.signer(other), null).added()).isTrue();
        Digest d = store("1").imageDigest();
        AttachmentManifest m = AttachmentManifest.parse(store("1").manifest(AttachmentManifest.tag(d, "sig")).orElseThrow());
        assertThat(m.layers()).hasSize(2);
        assertThat(ImageVerification.verify(store("1"), key.getPublic(), Optional.empty()).signatures()).hasSize(1);
        assertThat(ImageVerification.verify(store("1"), other.getPublic(), Optional.empty()).signatures()).hasSize(1);
    }

    @Test
    void aMovedTagOrACopiedSignatureFails() throws Exception {
        Digest first = ImageSigning.sign(store("1"), PayloadsTest.signer(key), null).imageDigest();
        Digest second = image("1", "second"); // the tag now names another image
        assertThatThrownBy(() -> ImageVerification.verify(store("1"), key.getPublic(), Optional.empty()))
                .isInstanceOf(NotVerifiedException.class).hasMessageStartingWith("no signature for " + second);
        // the first image's signature manifest copied onto the second's tag
        byte[] sig = store("1").manifest(AttachmentManifest.tag(first, "sig")).orElseThrow();
        LayoutManifests.write(dir, AttachmentManifest.tag(second, "sig"), sig, MediaTypes.OCI_MANIFEST, Map.of());
        assertThatThrownBy(() -> ImageVerification.verify(store("1"), key.getPublic(), Optional.empty()))
                .isInstanceOf(NotVerifiedException.class)
                .hasMessageStartingWith("the signature by this key is for " + first + ", but the image is " + second);
    }

    @Test
    void attestationsAreFoundByTypeAndReplacedPerTypeAndKey() throws Exception {
        var doc = JsonNodeFactory.instance.objectNode().put("bomFormat", "CycloneDX");
        ImageSigning.attest(store("1"), PayloadsTest.signer(key),
                List.of(new ImageSigning.Predicate(Statements.Kind.SBOM, doc)));
        ImageSigning.sign(store("1"), PayloadsTest.signer(key), null);
        assertThat(ImageVerification.verify(store("1"), key.getPublic(), Optional.of(Statements.Kind.SBOM))
                .attestations()).singleElement().satisfies(s -> assertThat(s.predicate()).isEqualTo(doc));
        assertThatThrownBy(() -> ImageVerification.verify(store("1"), key.getPublic(), Optional.of(Statements.Kind.PROVENANCE)))
                .isInstanceOf(NotVerifiedException.class).hasMessageContaining("no provenance attestation")
                .hasMessageEndingWith("(it has: sbom)");
        assertThatThrownBy(() -> ImageVerification.verify(store("1"), other.getPublic(), Optional.of(Statements.Kind.SBOM)))
                .isInstanceOf(NotVerifiedException.class);
        // again with the same key: replaced, not added; another key's stays beside it
        ImageSigning.attest(store("1"), PayloadsTest.signer(key), List.of(new ImageSigning.Predicate(Statements.Kind.SBOM, doc)));
        ImageSigning.attest(store("1"), PayloadsTest.signer(other), List.of(new ImageSigning.Predicate(Statements.Kind.SBOM, doc)));
        Digest d = store("1").imageDigest();
        AttachmentManifest att = AttachmentManifest.parse(store("1").manifest(AttachmentManifest.tag(d, "att")).orElseThrow());
        assertThat(att.layers()).hasSize(2).allSatisfy(l -> assertThat(l.annotations())
                .containsEntry("predicateType", "https://cyclonedx.org/bom").containsEntry(AttachmentManifest.SIGNATURE_ANNOTATION, ""));
    }

    @Test
    void garbageLayersAreAnInputErrorAndAHugeOneIsNotRead() throws Exception {
        Digest d = store("1").imageDigest();
        byte[] junk = "not json".getBytes(StandardCharsets.UTF_8);
        Descriptor noAnnotation = Descriptor.of(SimpleSigning.MEDIA_TYPE, Digest.sha256(junk), junk.length);
        Descriptor notBase64 = noAnnotation.withAnnotations(Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, "%%%"));
        store("1").put(AttachmentManifest.tag(d, "sig"), new AttachmentManifest(List.of(noAnnotation, notBase64)),
                Map.of(noAnnotation.digest(), junk));
        assertThatThrownBy(() -> ImageVerification.verify(store("1"), key.getPublic(), Optional.empty()))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith("layer 1 has no dev.cosignproject.cosign/signature annotation (and 1 more)");
        Descriptor huge = new Descriptor(SimpleSigning.MEDIA_TYPE, Digest.sha256(junk), 100L << 20,
                Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, "c2ln"), null);
        store("1").put(AttachmentManifest.tag(d, "sig"), new AttachmentManifest(List.of(huge)), Map.of());
        assertThatThrownBy(() -> ImageVerification.verify(store("1"), key.getPublic(), Optional.empty()))
                .isInstanceOf(InputException.class).hasMessageContaining("104857600 bytes, more than a signature payload");
    }

    @Test
    void theImageTagStaysBesideTheSignatureTag() throws Exception {
        ImageSigning.sign(store("1"), PayloadsTest.signer(key), null);
        String index = Files.readString(dir.resolve("index.json"));
        assertThat(index).contains(".sig");
        assertThat(LayoutManifests.read(dir, "1")).isPresent();
        assertThat(LayoutManifests.read(dir, "2")).isEmpty();
        assertThatThrownBy(() -> LayoutAttachments.open(dir, "1", null).identity())
                .hasMessageContaining("--identity HOST/REPO:TAG");
        assertThat(LayoutAttachments.open(dir, "1", ID).subjectName()).isEqualTo("127.0.0.1:5000/app");
    }

    @Test
    void aTagNamingSeveralEntriesIsAmbiguousNotTheFirstOne() throws Exception {
        // two entries called 1 (another writer's, or a flat multi-platform layout): a reader takes both
        LayoutManifests.Tagged one = LayoutManifests.read(dir, "1").orElseThrow();
        image("2", "second");
        LayoutManifests.Tagged two = LayoutManifests.read(dir, "2").orElseThrow();
        String entry = "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"%s\",\"size\":%d,"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}";
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":["
                + String.format(entry, one.digest(), one.bytes().length) + ","
                + String.format(entry, two.digest(), two.bytes().length) + "]}");
        assertThatThrownBy(() -> store("1")).isInstanceOf(InputException.class)
                .hasMessageContaining("the tag 1 names 2 entries of index.json");
    }
}
