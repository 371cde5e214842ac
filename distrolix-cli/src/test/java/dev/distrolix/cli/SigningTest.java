package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.nix.substituter.NarHash;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.sign.AttachmentManifest;
import dev.distrolix.sign.RegistryAttachments;
import dev.distrolix.sign.SimpleSigning;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed and attested builds, checked by a real sigstore verifier: Debian 13's podman and skopeo
 * (Debian 12's have sigstore cut out), against the real registry.
 */
@IntegrationTest
class SigningTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "correct horse";
    static final String EPOCH = "1700000000";

    @TempDir
    static Path work;
    static RegistryServer registry;
    static SigstoreTools tools;
    static String signedDigest;

    @BeforeAll
    static void buildSignedAndUnsigned() throws Exception {
        tools = SigstoreTools.locate();
        registry = RegistryServer.in(work.resolve("registry")).start();
        assertThat(cli("keygen").exitCode()).isZero();
        assertThat(cli("keygen", "--output-prefix", "other").exitCode()).isZero();
        Cli signed = cli("build", NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE,
                "-o", "docker://" + ref("nginx:signed"), "--sign-key", "cosign.key", "--json");
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        signedDigest = JSON.readTree(signed.out()).get("manifestDigest").asText();
        assertThat(JSON.readTree(signed.out()).get("signing").get(0).asText()).startsWith("signed " + ref("nginx"));
        // the same image, unsigned, in another repository: signatures live per repository
        Cli unsigned = cli("build", NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE,
                "-o", "docker://" + ref("unsigned:1"), "-q");
        assertThat(unsigned.out().strip()).isEqualTo(signedDigest);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    static String ref(String repoAndTag) {
        return registry.address() + "/" + repoAndTag;
    }

    static Cli cli(String... args) {
        return CliProcess.run(Map.of("COSIGN_PASSWORD", PASSWORD, "SOURCE_DATE_EPOCH", EPOCH), work, args);
    }

    static Cli verify(String image, String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "docker://" + image, "--key", "cosign.pub", "--insecure"));
        args.addAll(List.of(more));
        return cli(args.toArray(String[]::new));
    }

    @Test
    void podmanPullsTheSignedBuildAndRefusesItUnsignedOrSignedByAnotherKey() {
        SigstoreTools.Sandbox ours = tools.sandbox(work.resolve("podman-ours"), registry.port(), work.resolve("cosign.pub"));
        Fixtures.Exit pulled = tools.podmanPull(ours, ref("nginx:signed"));
        assertThat(pulled.code()).as(pulled.err()).isZero();
        Fixtures.Exit unsigned = tools.podmanPull(ours, ref("unsigned:1"));
        assertThat(unsigned.code()).isNotZero();
        assertThat(unsigned.err()).contains("A signature was required, but no signature exists");
        SigstoreTools.Sandbox other = tools.sandbox(work.resolve("podman-other"), registry.port(), work.resolve("other.pub"));
        Fixtures.Exit otherKey = tools.podmanPull(other, ref("nginx:signed"));
        assertThat(otherKey.code()).isNotZero();
        assertThat(otherKey.err()).contains("cryptographic signature verification failed");
    }

    @Test
    void distrolixVerifiesItsSignatureAndAttestationsAndRefusesAnotherKey() throws Exception {
        Cli ok = verify(ref("nginx:signed"), "--attestation", "sbom");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("verified " + ref("nginx") + " " + signedDigest + ": 1 signature by cosign.pub")
                .contains("sbom attestation verified");
        assertThat(verify(ref("nginx:signed"), "--attestation", "provenance").exitCode()).isZero();
        Cli other = cli("verify", "docker://" + ref("nginx:signed"), "--key", "other.pub", "--insecure");
        assertThat(other.exitCode()).isEqualTo(4);
        assertThat(other.err().strip()).startsWith("distrolix: no signature by this key for " + signedDigest).doesNotContain("\n");
        Cli unsigned = verify(ref("unsigned:1"));
        assertThat(unsigned.exitCode()).isEqualTo(4);
        assertThat(unsigned.err().strip()).isEqualTo("distrolix: no signature for " + signedDigest + " in " + ref("unsigned"));
        // building again signs nothing twice: the same key's signature for the same digest is there
        Cli again = cli("build", NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE,
                "-o", "docker://" + ref("nginx:signed"), "--sign-key", "cosign.key");
        assertThat(again.out()).contains("already signed " + ref("nginx"));
        assertThat(sigManifest("nginx").layers()).hasSize(1);
        assertThat(attManifest("nginx").layers()).hasSize(2); // sbom and provenance, replaced, not added
        // this registry (distribution 2.8) has no referrers API: the tag scheme is all there is, and nothing else
        // was pushed (a registry with the API gets each attestation as a referrer too)
        var repo = dev.distrolix.registry.RegistryClient.connect(registry.address(),
                RegistrySettings.defaults().withInsecure(true)).repository("nginx", false);
        assertThat(repo.supportsReferrers(Digest.parse(signedDigest))).isFalse();
        JsonNode tags = JSON.readTree(Fixtures.run("skopeo", "list-tags", "--tls-verify=false", "docker://" + ref("nginx")));
        assertThat(tags.get("Tags")).extracting(JsonNode::asText).containsExactlyInAnyOrder("signed", tag("sig"), tag("att"));
    }

    @Test
    void skopeoSignsWithADistrolixKeyAndDistrolixVerifiesItUntilTheTagMoves() throws Exception {
        Files.writeString(work.resolve("password"), PASSWORD);
        SigstoreTools.Sandbox s = tools.sandbox(work.resolve("skopeo"), registry.port(), work.resolve("cosign.pub"));
        Fixtures.Exit signed = tools.skopeoSign(s, ref("unsigned:1"), ref("by-skopeo:1"), work.resolve("cosign.key"),
                work.resolve("password"));
        assertThat(signed.code()).as(signed.err()).isZero();
        Cli ok = verify(ref("by-skopeo:1"), "--json");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        JsonNode sig = JSON.readTree(ok.out()).get("signatures").get(0);
        assertThat(sig.get("dockerReference").asText()).isEqualTo(ref("by-skopeo:1"));
        assertThat(sig.get("optional").get("creator").asText()).startsWith("containers/image");
        // skopeo attaches no attestations
        Cli noSbom = verify(ref("by-skopeo:1"), "--attestation", "sbom");
        assertThat(noSbom.exitCode()).isEqualTo(4);
        assertThat(noSbom.err()).contains("no attestations for " + signedDigest);
        // the tag moved to another image: its digest has no signature
        Cli rebuilt = cli("build", NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE,
                "-o", "docker://" + ref("by-skopeo:1"), "--layering", "single", "-q");
        String moved = rebuilt.out().strip();
        assertThat(moved).isNotEqualTo(signedDigest);
        Cli refused = verify(ref("by-skopeo:1"));
        assertThat(refused.exitCode()).isEqualTo(4);
        assertThat(refused.err().strip()).isEqualTo("distrolix: no signature for " + moved + " in " + ref("by-skopeo"));
        // and the old signature copied onto the new digest's tag is for the old digest
        RegistryAttachments store = store("by-skopeo:1");
        AttachmentManifest old = AttachmentManifest.parse(store.manifest(AttachmentManifest.tag(Digest.parse(signedDigest), "sig")).orElseThrow());
        store.put(AttachmentManifest.tag(Digest.parse(moved), "sig"), old, Map.of());
        Cli replayed = verify(ref("by-skopeo:1"));
        assertThat(replayed.exitCode()).isEqualTo(4);
        assertThat(replayed.err()).contains("is for " + signedDigest + ", but the image is " + moved);
    }

    @Test
    void aTamperedSignatureLayerOrAnnotationFails() throws Exception {
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + ref("nginx:signed"), "docker://" + ref("tampered:1"));
        RegistryAttachments store = store("tampered:1");
        AttachmentManifest good = sigManifest("nginx");
        Descriptor layer = good.layers().get(0);
        byte[] payload = store("nginx:signed").blob(layer, 1 << 16);
        // the annotation tampered: another signature (base64 of garbage DER)
        Descriptor badSig = layer.withAnnotations(Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, "MEUCIQDx"));
        store.put(tag("sig"), new AttachmentManifest(List.of(badSig)), Map.of(layer.digest(), payload));
        assertThat(verify(ref("tampered:1")).exitCode()).isEqualTo(4);
        // the payload tampered (another reference), the signature kept
        byte[] altered = new String(payload, StandardCharsets.UTF_8).replace("nginx:signed", "nginx:other")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor alteredLayer = new Descriptor(SimpleSigning.MEDIA_TYPE, Digest.sha256(altered), altered.length,
                layer.annotations(), null);
        store.put(tag("sig"), new AttachmentManifest(List.of(alteredLayer)), Map.of(alteredLayer.digest(), altered));
        Cli refused = verify(ref("tampered:1"));
        assertThat(refused.exitCode()).isEqualTo(4);
        assertThat(refused.err()).contains("does not verify with it (another key, or altered)");
        // the untampered layer put back verifies (the test itself is not what fails)
        store.put(tag("sig"), good, Map.of());
        assertThat(verify(ref("tampered:1")).exitCode()).isZero();
    }

    @Test
    void theProvenanceListsEveryStorePathWithItsNixNarHashAndTheSbomIsDistrolixSbom() throws Exception {
        Cli prov = verify(ref("nginx:signed"), "--attestation", "provenance", "--json");
        JsonNode predicate = JSON.readTree(prov.out()).get("attestations").get(0).get("predicate");
        assertThat(predicate.at("/runDetails/builder/id").asText()).isEqualTo("https://distrolix.dev/builder/cli");
        assertThat(predicate.at("/buildDefinition/externalParameters/spec/digest/sha256").asText())
                .isEqualTo(Digest.sha256(Files.readAllBytes(NginxImageTest.EXAMPLE)).hex());
        assertThat(predicate.at("/buildDefinition/internalParameters/sourceDateEpoch").asLong()).isEqualTo(Long.parseLong(EPOCH));
        Map<String, String> attested = new TreeMap<>();
        for (JsonNode d : predicate.at("/buildDefinition/resolvedDependencies")) {
            attested.put(d.get("uri").asText().substring("nix:".length()), d.at("/digest/sha256").asText());
        }
        JsonNode sbom = JSON.readTree(cli("sbom", "docker://" + ref("nginx:signed"), "--insecure", "--json").out());
        List<String> inImage = new ArrayList<>();
        sbom.get("components").forEach(c -> inImage.add(c.get("storePath").asText()));
        assertThat(attested.keySet()).containsExactlyInAnyOrderElementsOf(inImage).hasSize(6);
        List<String> cmd = new ArrayList<>(List.of("nix", "--extra-experimental-features", "nix-command", "path-info", "--json"));
        cmd.addAll(attested.keySet());
        Map<String, String> nix = new TreeMap<>();
        for (JsonNode p : JSON.readTree(Fixtures.run(cmd.toArray(String[]::new)))) {
            nix.put(p.get("path").asText(), HexFormat.of().formatHex(NarHash.parse(p.get("narHash").asText()).bytes()));
        }
        assertThat(attested).isEqualTo(nix);

        Cli att = verify(ref("nginx:signed"), "--attestation", "sbom", "--json");
        JsonNode attestedSbom = JSON.readTree(att.out()).get("attestations").get(0).get("predicate");
        Cli doc = cli("sbom", "docker://" + ref("nginx:signed"), "--insecure", "-f", "cyclonedx");
        assertThat(attestedSbom).isEqualTo(JSON.readTree(doc.out()));
    }

    @Test
    void anImageSignedInItsLayoutArrivesSignedWhereItIsCopied() throws Exception {
        String layout = "oci:" + work.resolve("layout") + ":1";
        Cli built = cli("build", NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE, "-o", layout,
                "--sign-key", "cosign.key", "--identity", ref("from-layout:1"));
        assertThat(built.exitCode()).as(built.err()).isZero();
        assertThat(cli("verify", layout, "--key", "cosign.pub", "--attestation", "provenance").exitCode()).isZero();
        // the .sig/.att entries beside the image do not make the layout ambiguous to a reader
        Cli inspect = cli("inspect", "oci:" + work.resolve("layout"));
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        Cli copied = cli("copy", layout, "docker://" + ref("from-layout:1"), "--insecure");
        assertThat(copied.exitCode()).as(copied.err()).isZero();
        assertThat(copied.out()).contains("carried  " + tag("sig")).contains("carried  " + tag("att"));
        assertThat(verify(ref("from-layout:1"), "--attestation", "sbom").exitCode()).isZero();
        SigstoreTools.Sandbox s = tools.sandbox(work.resolve("podman-layout"), registry.port(), work.resolve("cosign.pub"));
        Fixtures.Exit pulled = tools.podmanPull(s, ref("from-layout:1"));
        assertThat(pulled.code()).as(pulled.err()).isZero();
        // --remove-signatures leaves them behind
        Cli bare = cli("copy", layout, "docker://" + ref("copied-bare:1"), "--insecure", "--remove-signatures");
        assertThat(bare.out()).doesNotContain("carried");
        assertThat(verify(ref("copied-bare:1")).exitCode()).isEqualTo(4);
    }

    @Test
    void aKeyFromAnEnvironmentVariableSigns() throws Exception {
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + ref("unsigned:1"), "docker://" + ref("env-signed:1"));
        Cli signed = CliProcess.run(Map.of("COSIGN_PASSWORD", PASSWORD, "SIGNING_KEY",
                Files.readString(work.resolve("cosign.key"))), work, "sign", "docker://" + ref("env-signed:1"),
                "--key", "env://SIGNING_KEY", "--insecure");
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        assertThat(signed.out()).startsWith("signed " + ref("env-signed") + " " + signedDigest + " as " + ref("env-signed:1"));
        Cli ok = CliProcess.run(Map.of("PUB", Files.readString(work.resolve("cosign.pub"))), work, "verify",
                "docker://" + ref("env-signed:1"), "--key", "env://PUB", "--insecure");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
    }

    @Test
    void badKeysAreOneLineInputErrorsThatWriteNothing() throws Exception {
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + ref("unsigned:1"), "docker://" + ref("bad-keys:1"));
        Cli wrong = CliProcess.run(Map.of("COSIGN_PASSWORD", "not the password"), work,
                "sign", "docker://" + ref("bad-keys:1"), "--key", "cosign.key", "--insecure");
        assertOneInputLine(wrong, "distrolix: cosign.key: wrong password");
        // even the --debug trace holds neither the password nor the key
        Cli debug = CliProcess.run(Map.of("COSIGN_PASSWORD", "not the password"), work,
                "sign", "docker://" + ref("bad-keys:1"), "--key", "cosign.key", "--insecure", "--debug");
        assertThat(debug.exitCode()).isEqualTo(3);
        assertThat(debug.err()).doesNotContain("not the password").doesNotContain("ENCRYPTED")
                .doesNotContain(Files.readString(work.resolve("cosign.key")).lines().skip(1).findFirst().orElseThrow());
        // a build with a wrong password publishes nothing: the key is checked before any manifest is pushed (the
        // image's blobs go up while it is decrypted; nothing names them)
        Cli build = CliProcess.run(Map.of("COSIGN_PASSWORD", "not the password"), work, "build",
                NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE, "-o", "docker://" + ref("never:1"),
                "--sign-key", "cosign.key");
        // the build's progress lines come first (the key is decrypted beside Nix's work); the error is the last line
        assertThat(build.exitCode()).isEqualTo(3);
        assertThat(build.errLine()).startsWith("distrolix: cosign.key: wrong password");
        assertThat(build.err()).doesNotContain("Exception").doesNotContain("manifest ").doesNotContain("wrote ");
        assertThat(Fixtures.exec(new ProcessBuilder("skopeo", "inspect", "--tls-verify=false", "docker://" + ref("never:1")))
                .code()).isNotZero();
        Files.writeString(work.resolve("corrupt.key"), "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\nnot base64!\n"
                + "-----END ENCRYPTED COSIGN PRIVATE KEY-----\n");
        assertOneInputLine(cli("sign", "docker://" + ref("bad-keys:1"), "--key", "corrupt.key", "--insecure"),
                "distrolix: corrupt.key: ");
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Files.writeString(work.resolve("rsa.pub"), "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64,
                "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Cli rsaVerify = cli("verify", "docker://" + ref("nginx:signed"), "--key", "rsa.pub", "--insecure");
        assertOneInputLine(rsaVerify, "distrolix: rsa.pub: not an ECDSA P-256 public key (it is RSA 2048)");
        assertThat(store("bad-keys:1").manifest(tag("sig"))).isEmpty();
    }

    @Test
    void garbageOrHugeSignatureLayersAreInputErrorsReadWithinBounds() throws Exception {
        Fixtures.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + ref("unsigned:1"), "docker://" + ref("garbage:1"));
        RegistryAttachments store = store("garbage:1");
        byte[] junk = "{\"not\":\"a payload\"}".getBytes(StandardCharsets.UTF_8);
        Descriptor notBase64 = new Descriptor(SimpleSigning.MEDIA_TYPE, Digest.sha256(junk), junk.length,
                Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, "%%% not base64"), null);
        store.put(tag("sig"), new AttachmentManifest(List.of(notBase64)), Map.of(notBase64.digest(), junk));
        assertOneInputLine(verify(ref("garbage:1")), "distrolix: " + ref("garbage") + ":" + tag("sig")
                + ": layer 1: the signature annotation is not base64");
        // a 100 MB payload is refused by its size, never downloaded
        byte[] huge = new byte[100 << 20];
        Descriptor big = new Descriptor(SimpleSigning.MEDIA_TYPE, Digest.sha256(huge), huge.length,
                Map.of(AttachmentManifest.SIGNATURE_ANNOTATION, "MEUCIQDx"), null);
        store.put(tag("sig"), new AttachmentManifest(List.of(big)), Map.of(big.digest(), huge));
        huge = null;
        long start = System.nanoTime();
        Cli refused = verify(ref("garbage:1"));
        assertOneInputLine(refused, "distrolix: " + ref("garbage") + ":" + tag("sig") + ": layer 1 is 104857600 bytes,"
                + " more than a signature payload");
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(10);
        // a copy reads the signatures it carries before it writes the image: one it cannot carry leaves no image
        Path dest = work.resolve("copied-garbage");
        Cli copy = cli("copy", "docker://" + ref("garbage:1"), "oci:" + dest + ":1", "--insecure");
        assertThat(copy.exitCode()).as(copy.err()).isEqualTo(3);
        assertThat(copy.err().strip().lines().count()).as(copy.err()).isEqualTo(1);
        assertThat(dest).doesNotExist();
    }

    @Test
    void aMultiPlatformBuildSignsTheIndexAndEachImageAndAWrongPasswordPushesNothing() throws Exception {
        Cli wrong = CliProcess.run(Map.of("COSIGN_PASSWORD", "not the password"), work, "build",
                NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE, "--platform", "linux/amd64,linux/arm64",
                "-o", "docker://" + ref("multi-never:1"), "--sign-key", "cosign.key");
        assertThat(wrong.exitCode()).isEqualTo(3);
        assertThat(wrong.errLine()).startsWith("distrolix: cosign.key: wrong password");
        assertThat(Fixtures.exec(new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + ref("multi-never:1"))).code()).as("nothing pushed").isNotZero();
        Cli built = cli("build", NginxImageTest.EXAMPLE.toString(), "-I", NginxImageTest.INCLUDE,
                "--platform", "linux/amd64,linux/arm64", "-o", "docker://" + ref("multi:1"), "--sign-key", "cosign.key",
                "--json");
        assertThat(built.exitCode()).as(built.err()).isZero();
        JsonNode result = JSON.readTree(built.out());
        assertThat(verify(ref("multi:1")).exitCode()).as("the index").isZero();
        for (JsonNode p : result.get("platforms")) {
            String byDigest = ref("multi") + "@" + p.get("manifestDigest").asText();
            assertThat(verify(byDigest, "--attestation", "provenance").exitCode()).as(p.get("platform").asText()).isZero();
        }
        SigstoreTools.Sandbox s = tools.sandbox(work.resolve("podman-multi"), registry.port(), work.resolve("cosign.pub"));
        Fixtures.Exit pulled = tools.podmanPull(s, ref("multi:1"));
        assertThat(pulled.code()).as(pulled.err()).isZero();

        // a copy of the index carries the index's signature and each image's signature and attestations
        Cli copied = cli("copy", "docker://" + ref("multi:1"), "docker://" + ref("multi-copy:1"), "--insecure");
        assertThat(copied.exitCode()).as(copied.err()).isZero();
        assertThat(copied.out().lines().filter(l -> l.startsWith("carried  "))).hasSize(5); // 1 + 2 × (.sig, .att)
        Path layout = work.resolve("multi-layout");
        Cli toLayout = cli("copy", "--all-platforms", "docker://" + ref("multi:1"), "oci:" + layout + ":1", "--insecure");
        assertThat(toLayout.exitCode()).as(toLayout.err()).isZero();
        for (JsonNode p : result.get("platforms")) {
            String digest = p.get("manifestDigest").asText();
            assertThat(verify(ref("multi-copy") + "@" + digest, "--attestation", "provenance").exitCode())
                    .as("copied: " + p.get("platform").asText()).isZero();
            String hex = digest.substring("sha256:".length());
            assertThat(Files.readString(layout.resolve("index.json"))).as("the layout's tags")
                    .contains("\"sha256-" + hex + ".sig\"", "\"sha256-" + hex + ".att\"");
        }
    }

    static void assertOneInputLine(Cli r, String start) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith(start).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
    }

    static RegistryAttachments store(String repoAndTag) throws Exception {
        return RegistryAttachments.open(RegistryRef.parse(ref(repoAndTag)), RegistrySettings.defaults().withInsecure(true), true);
    }

    static String tag(String suffix) {
        return AttachmentManifest.tag(Digest.parse(signedDigest), suffix);
    }

    static AttachmentManifest sigManifest(String repo) throws Exception {
        return AttachmentManifest.parse(store(repo + "@" + signedDigest).manifest(tag("sig")).orElseThrow());
    }

    static AttachmentManifest attManifest(String repo) throws Exception {
        return AttachmentManifest.parse(store(repo + "@" + signedDigest).manifest(tag("att")).orElseThrow());
    }
}
