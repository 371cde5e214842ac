package dev.distrolix.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.Digest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import dev.distrolix.image.Descriptor;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    static final Digest D = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));

    static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static Signer signer(KeyPair k) {
        return Signer.of((ECPrivateKey) k.getPrivate(), k.getPublic());
    }

    @Test
    void aPayloadHasExactlyTheKeysPodmanReads() {
        byte[] p = SimpleSigning.payload("127.0.0.1:5000/app:1", D, null);
        assertThat(new String(p, StandardCharsets.UTF_8)).isEqualTo("{\"critical\":{\"identity\":{\"docker-reference\":"
                + "\"127.0.0.1:5000/app:1\"},\"image\":{\"docker-manifest-digest\":\"" + D + "\"},\"type\":\"cosign container"
                + " image signature\"},\"optional\":null}");
        SimpleSigning.Payload parsed = SimpleSigning.parse(SimpleSigning.payload("h/app", D, "distrolix 1"));
        assertThat(parsed.manifestDigest()).isEqualTo(D);
        assertThat(parsed.dockerReference()).isEqualTo("h/app");
        assertThat(parsed.optional().path("creator").asText()).isEqualTo("distrolix 1");
    }

    @Test
    void aPayloadWithAnExtraKeyOrAnotherTypeIsRefused() {
        String good = new String(SimpleSigning.payload("h/app", D, null), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SimpleSigning.parse(good.replace("\"optional\"", "\"extra\":1,\"optional\"")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("unknown key \"extra\"");
        assertThatThrownBy(() -> SimpleSigning.parse(good.replace("cosign container image signature", "x")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("critical.type");
        assertThatThrownBy(() -> SimpleSigning.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not an object");
        assertThatThrownBy(() -> SimpleSigning.parse("{".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
    }

    @Test
    void theDssePaeIsTheSpecsEncoding() {
        // the example of the DSSE specification (protocol.md)
        assertThat(new String(Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void anEnvelopeVerifiesWithItsKeyOnlyAndOverThePaeOnly() throws Exception {
        KeyPair k = keys();
        byte[] statement = Statements.statement("h/app", D, Statements.Kind.SBOM.predicateType(),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("a", 1));
        Dsse.Envelope env = Dsse.parse(Dsse.sign(statement, signer(k)));
        assertThat(env.signedBy(k.getPublic())).isTrue();
        assertThat(env.signedBy(keys().getPublic())).isFalse();
        // a signature over the bare statement (no PAE) is not a DSSE signature
        byte[] bare = signer(k).sign(statement);
        assertThat(new Dsse.Envelope(Dsse.IN_TOTO, statement, java.util.List.of(bare)).signedBy(k.getPublic())).isFalse();
        Statements.Parsed s = Statements.parse(env.payload(), D);
        assertThat(s.covers()).isTrue();
        assertThat(s.predicateType()).isEqualTo("https://cyclonedx.org/bom");
        assertThat(Statements.parse(env.payload(), Digest.sha256(new byte[1])).covers()).isFalse();
    }

    @Test
    void derAndRawSignaturesVerifyAndGarbageDoesNot() throws Exception {
        KeyPair k = keys();
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] der = signer(k).sign(data);
        assertThat(der[0]).isEqualTo((byte) 0x30); // ASN.1 SEQUENCE: what podman requires
        assertThat(SignatureCheck.verifies(k.getPublic(), data, der)).isTrue();
        java.security.Signature raw = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        raw.initSign(k.getPrivate());
        raw.update(data);
        assertThat(SignatureCheck.verifies(k.getPublic(), data, raw.sign())).isTrue();
        assertThat(SignatureCheck.verifies(k.getPublic(), "other".getBytes(StandardCharsets.UTF_8), der)).isFalse();
        assertThat(SignatureCheck.verifies(k.getPublic(), data, Base64.getDecoder().decode("AAAA"))).isFalse();
        // a raw signature whose first byte is DER's 0x30 (1 in 256) is still raw: signatures made until one is
        int tried = 0;
        byte[] r;
        do {
            raw.initSign(k.getPrivate());
            raw.update(data);
            r = raw.sign();
            tried++;
        } while (r[0] != 0x30 && tried < 5_000);
        assertThat(r[0]).as("no raw signature began with 0x30 in %d", tried).isEqualTo((byte) 0x30);
        assertThat(SignatureCheck.verifies(k.getPublic(), data, r)).isTrue();
        assertThat(SignatureCheck.verifies(k.getPublic(), "other".getBytes(StandardCharsets.UTF_8), r)).isFalse();
        assertThat(SignatureCheck.verifies(k.getPublic(), data, new byte[0])).isFalse();
    }

    @Test
    void anAttachmentManifestRoundTripsAndRefusesGarbage() {
        AttachmentManifest m = AttachmentManifest.empty().plus(dev.distrolix.image.Descriptor.of(SimpleSigning.MEDIA_TYPE,
                D, 10).withAnnotations(java.util.Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, "c2ln")));
        AttachmentManifest back = AttachmentManifest.parse(m.bytes());
        assertThat(back).isEqualTo(m);
        assertThat(new String(m.config(), StandardCharsets.UTF_8)).contains("\"diff_ids\":[\"" + D + "\"]");
        assertThat(AttachmentManifest.tag(D, "sig")).isEqualTo("sha256-" + D.hex() + ".sig");
        assertThatThrownBy(() -> AttachmentManifest.parse("{\"layers\":[{\"digest\":\"x\"}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("layer 1 has no valid sha256 digest");
        assertThatThrownBy(() -> AttachmentManifest.parse("{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no layers");
    }

    @Test
    void aReferrerManifestNamesTheImageAsItsSubject() throws Exception {
        Descriptor image = Descriptor.of(dev.distrolix.image.MediaTypes.OCI_MANIFEST, D, 1234);
        Descriptor envelope = Descriptor.of(Dsse.MEDIA_TYPE, Digest.sha256(new byte[3]), 3)
                .withAnnotations(java.util.Map.of(AttachmentManifest.PREDICATE_TYPE_ANNOTATION, "https://slsa.dev/provenance/v1"));
        var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Referrers.manifest(image, envelope));
        assertThat(m.at("/subject/digest").asText()).isEqualTo(D.toString());
        assertThat(m.at("/subject/size").asLong()).isEqualTo(1234);
        assertThat(m.at("/artifactType").asText()).isEqualTo(Dsse.MEDIA_TYPE);
        assertThat(m.at("/config/mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
        assertThat(m.at("/config/digest").asText()).isEqualTo(Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(m.at("/layers/0/digest").asText()).isEqualTo(envelope.digest().toString());
    }
}
