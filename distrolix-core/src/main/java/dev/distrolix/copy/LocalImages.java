package dev.distrolix.copy;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.distrolix.InputException;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.image.CanonicalJson;
import dev.distrolix.image.ImageManifest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.ImageConfig;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.image.Platform;
import dev.distrolix.registry.ManifestBytes;
import dev.distrolix.blob.Compression;
import dev.distrolix.tar.LayerBlob;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Turns one image of a source into an {@link AssembledImage} for the local writers (oci:,
 * archives, podman, docker) — same manifest and config bytes, so the same digest (except for a
 * Docker schema 2 manifest, which becomes an OCI one, as skopeo does). Each layer is
 * read once: its blob digest and its diff_id (the hash of the uncompressed tar, which
 * docker-archive needs) are both checked.
 */
final class LocalImages {
    private LocalImages() {}

    static AssembledImage assemble(SourceImage src, Platform wanted) throws IOException {
        ManifestBytes m = src.top();
        if (m.isIndex()) {
            m = src.manifest(choose(ImageParts.index(m, src.describe()), wanted, src.describe()));
        }
        if (m.isIndex()) {
            throw new InputException(src.describe() + ": an index inside an index is not supported");
        }
        ImageParts.Manifest parts = ImageParts.manifest(m, src.describe());
        if (m.mediaType().equals(MediaTypes.DOCKER_MANIFEST)) {
            m = toOci(parts, src.describe());
            parts = ImageParts.manifest(m, src.describe());
        }
        byte[] config = src.blobBytes(parts.config());
        Digest configDigest = Digest.sha256(config);
        if (!configDigest.equals(parts.config().digest())) {
            throw new InputException("the config of " + src.describe() + " hashes to " + configDigest
                    + ", not " + parts.config().digest());
        }
        ImageParts.Config cfg = ImageParts.config(config, src.describe());
        if (cfg.diffIds().size() != parts.layers().size()) {
            throw new InputException(src.describe() + " has " + parts.layers().size() + " layers but "
                    + cfg.diffIds().size() + " diff_ids");
        }
        List<LayerBlob> layers = new ArrayList<>();
        for (int i = 0; i < parts.layers().size(); i++) {
            Descriptor d = parts.layers().get(i);
            layers.add(layer(src, d, cfg.diffIds().get(i)));
        }
        ImageConfig imageConfig = new ImageConfig(null, cfg.platform(), null, cfg.diffIds(), null);
        Descriptor md = new Descriptor(m.mediaType(), m.digest(), m.size(), null, cfg.platform());
        return new AssembledImage(imageConfig, config, configDigest, m.bytes(), m.digest(), md, layers);
    }

    /**
     * A Docker schema 2 manifest as an OCI one (same config and layer blobs, OCI media types), as
     * skopeo converts it: OCI layouts — which every local output contains — list only OCI
     * manifests, and skopeo and podman do not see others. The digest changes with the bytes.
     */
    private static ManifestBytes toOci(ImageParts.Manifest docker, String where) {
        List<Descriptor> layers = new ArrayList<>();
        for (Descriptor l : docker.layers()) {
            layers.add(Descriptor.of(compression(l.mediaType(), where).mediaType(), l.digest(), l.size()));
        }
        Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, docker.config().digest(), docker.config().size());
        return ManifestBytes.of(CanonicalJson.manifest(new ImageManifest(config, layers, null)), MediaTypes.OCI_MANIFEST);
    }

    /** The index entry for {@code wanted} (os and architecture, and variant if both name one). */
    private static Descriptor choose(List<ImageParts.Entry> entries, Platform wanted, String where) {
        List<String> seen = new ArrayList<>();
        for (ImageParts.Entry e : entries) {
            Platform p = e.platform();
            if (p == null) {
                continue;
            }
            seen.add(p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant()));
            if (p.os().equals(wanted.os()) && p.architecture().equals(wanted.architecture())
                    && (wanted.variant() == null || p.variant() == null || wanted.variant().equals(p.variant()))) {
                return e.descriptor();
            }
        }
        throw new InputException(where + " has no " + wanted.os() + "/" + wanted.architecture() + " image"
                + (seen.isEmpty() ? "" : " (it has " + String.join(", ", seen) + ")"));
    }

    private static LayerBlob layer(SourceImage src, Descriptor d, Digest diffId) throws IOException {
        Compression c = compression(d.mediaType(), src.describe());
        Path file = src.blobFile(d);
        MessageDigest raw = Digest.newSha256();
        MessageDigest tar = Digest.newSha256();
        long uncompressed;
        // hash below the buffer: the gzip reader marks and resets, which must not hash bytes twice
        try (InputStream in = new BufferedInputStream(new DigestInputStream(Files.newInputStream(file), raw), 1 << 16)) {
            InputStream plain = decompress(in, c);
            uncompressed = new DigestInputStream(plain, tar).transferTo(OutputStream.nullOutputStream());
            in.transferTo(OutputStream.nullOutputStream()); // bytes after the compressed stream still count
        }
        Digest digest = Digest.ofSha256(raw);
        if (!digest.equals(d.digest())) {
            throw new InputException("layer " + d.digest() + " of " + src.describe() + " hashes to " + digest);
        }
        if (!Digest.ofSha256(tar).equals(diffId)) {
            throw new InputException("layer " + d.digest() + " of " + src.describe()
                    + " does not unpack to its diff_id " + diffId);
        }
        return new LayerBlob(file, d.digest(), d.size(), diffId, uncompressed, c);
    }

    private static InputStream decompress(InputStream in, Compression c) throws IOException {
        if (c == Compression.GZIP) {
            return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
        }
        if (c == Compression.ZSTD) {
            return new ZstdInputStreamNoFinalizer(in);
        }
        return in;
    }

    static Compression compression(String mediaType, String where) {
        if (mediaType.equals(MediaTypes.OCI_LAYER_GZIP) || mediaType.equals(MediaTypes.DOCKER_LAYER_GZIP)) {
            return Compression.GZIP;
        }
        if (mediaType.equals(MediaTypes.OCI_LAYER_ZSTD)) {
            return Compression.ZSTD;
        }
        if (mediaType.equals(MediaTypes.OCI_LAYER_TAR) || mediaType.equals(MediaTypes.DOCKER_LAYER_TAR)) {
            return Compression.NONE;
        }
        throw new InputException(where + " has a layer of type " + mediaType
                + ", which local outputs cannot hold (copy it to a registry instead)");
    }

    /** The host's platform in OCI words (amd64, arm64, …). */
    static Platform hostPlatform() {
        String arch = System.getProperty("os.arch");
        String oci = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> arch;
        };
        return Platform.of(oci, "linux");
    }

}
