package dev.distrolix.image;

/** Media types of the OCI image spec and their Docker equivalents. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = dev.distrolix.blob.Compression.OCI_LAYER_TAR;
    public static final String OCI_LAYER_GZIP = dev.distrolix.blob.Compression.OCI_LAYER_GZIP;
    public static final String OCI_LAYER_ZSTD = dev.distrolix.blob.Compression.OCI_LAYER_ZSTD;
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

    private MediaTypes() {}
}
