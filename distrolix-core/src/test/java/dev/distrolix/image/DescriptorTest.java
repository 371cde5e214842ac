package dev.distrolix.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Digest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The written-out equals and hashCode say what a record's would: equal exactly when every component is. */
class DescriptorTest {
    static final Digest A = Digest.sha256(new byte[] {1});
    static final Digest B = Digest.sha256(new byte[] {2});

    @Test
    void equalExactlyWhenEveryComponentIs() {
        Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, A, 10, Map.of("k", "v"), new Platform("amd64", "linux", null));
        Descriptor same = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(A.toString()), 10, Map.of("k", "v"),
                new Platform("amd64", "linux", null));
        assertThat(d).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(d).isNotEqualTo(null).isNotEqualTo(A);
        List<Descriptor> others = List.of(
                new Descriptor(MediaTypes.DOCKER_MANIFEST, A, 10, Map.of("k", "v"), new Platform("amd64", "linux", null)),
                new Descriptor(MediaTypes.OCI_MANIFEST, B, 10, Map.of("k", "v"), new Platform("amd64", "linux", null)),
                new Descriptor(MediaTypes.OCI_MANIFEST, A, 11, Map.of("k", "v"), new Platform("amd64", "linux", null)),
                new Descriptor(MediaTypes.OCI_MANIFEST, A, 10, Map.of("k", "w"), new Platform("amd64", "linux", null)),
                new Descriptor(MediaTypes.OCI_MANIFEST, A, 10, Map.of(), new Platform("amd64", "linux", null)),
                new Descriptor(MediaTypes.OCI_MANIFEST, A, 10, Map.of("k", "v"), new Platform("arm64", "linux", null)),
                new Descriptor(MediaTypes.OCI_MANIFEST, A, 10, Map.of("k", "v"), null));
        for (Descriptor other : others) {
            assertThat(d).as(other.toString()).isNotEqualTo(other);
            assertThat(other).as(other.toString()).isNotEqualTo(d).isEqualTo(other);
        }
        assertThat(Descriptor.of(MediaTypes.OCI_MANIFEST, A, 10)).isEqualTo(Descriptor.of(MediaTypes.OCI_MANIFEST, A, 10))
                .hasSameHashCodeAs(Descriptor.of(MediaTypes.OCI_MANIFEST, A, 10));
    }
}
