package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The blobs a push takes as present because the tag's current manifest names them. */
class NamedBlobsTest {
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);
    static final String C = "sha256:" + "c".repeat(64);
    static final String F = "sha256:" + "f".repeat(64);

    static ManifestBytes manifest(String json, String mediaType) {
        return ManifestBytes.of(json.getBytes(StandardCharsets.UTF_8), mediaType);
    }

    @Test
    void anImageManifestNamesItsConfigAndLayersButNotAForeignOne() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + A + "\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + B
                + "\",\"size\":3},{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + C
                + "\",\"size\":4},{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\","
                + "\"digest\":\"" + F + "\",\"size\":5,\"urls\":[\"https://example.invalid/f\"]}]}";
        assertThat(ImagePusher.namedBlobs(manifest(json, MediaTypes.OCI_MANIFEST)))
                .containsExactlyInAnyOrder(Digest.parse(A), Digest.parse(B), Digest.parse(C));
    }

    @Test
    void anIndexOrAnUnreadableManifestNamesNothing() {
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + A + "\",\"size\":2}]}";
        assertThat(ImagePusher.namedBlobs(manifest(index, MediaTypes.OCI_INDEX))).isEmpty();
        assertThat(ImagePusher.namedBlobs(manifest("{\"config\":{\"digest\":\"sha256:nothex\"}}",
                MediaTypes.OCI_MANIFEST))).isEmpty();
        assertThat(ImagePusher.namedBlobs(manifest("not json", MediaTypes.OCI_MANIFEST))).isEmpty();
    }
}
