package dev.distrolix.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.Compression;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.ImageManifest;
import dev.distrolix.image.ImageParts;
import dev.distrolix.image.Layer;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.registry.RegistrySettings;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image that declares more bytes than the disk holds is refused before anything is written. */
class FreeSpaceTest {
    @TempDir
    Path tmp;

    /** A layer that claims a petabyte (its bytes would be checked as they stream; they never are). */
    record Claimed(Digest digest, long size) implements Layer {
        @Override
        public Digest diffId() {
            return digest;
        }

        @Override
        public String mediaType() {
            return Compression.OCI_LAYER_TAR;
        }

        @Override
        public InputStream openRaw() {
            return new ByteArrayInputStream(new byte[0]);
        }
    }

    @Test
    void aPetabyteLayerIsRefusedAtOnceAndNothingIsWritten() throws Exception {
        AssembledImage real = Fixtures.image(tmp.resolve("layers"), "fs");
        Layer huge = new Claimed(Digest.sha256(new byte[] {1}), 1L << 50);
        Descriptor config = real.configDescriptor();
        byte[] manifest = CanonicalJson.manifest(new ImageManifest(config, List.of(huge.descriptor()), null));
        ImageParts image = ImageParts.stored(manifest, Digest.sha256(manifest), MediaTypes.OCI_MANIFEST, config,
                real.configBytes(), real.config(), List.of(huge));
        for (String target : List.of("oci:" + tmp.resolve("layout") + ":1", "oci-archive:" + tmp.resolve("a.tar") + ":1",
                "docker-archive:" + tmp.resolve("d.tar") + ":x:1")) {
            assertThatThrownBy(() -> Transports.write(image, ImageReference.parse(target), RegistrySettings.defaults()))
                    .as(target).isInstanceOf(ImageOutputException.class).hasMessageContaining("not enough free space");
        }
        assertThat(tmp.resolve("layout")).doesNotExist();
        assertThat(tmp.resolve("a.tar")).doesNotExist();
        assertThat(tmp.resolve("d.tar")).doesNotExist();
    }

    @Test
    void anOrdinaryImageFits() {
        assertThat(FreeSpace.blobBytes(new ImageParts(new byte[2], Digest.sha256(new byte[2]), MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(new byte[3]), 3), new byte[3],
                new dev.distrolix.image.ImageConfig(null, dev.distrolix.image.Platform.linuxAmd64(), null, List.of(), null),
                List.of(), null, false))).isEqualTo(5);
    }
}
