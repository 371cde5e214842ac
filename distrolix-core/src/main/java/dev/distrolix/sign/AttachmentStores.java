package dev.distrolix.sign;

import dev.distrolix.InputException;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.ImageReference;
import java.io.IOException;

/** Opens the store of an image named as the CLI names it: {@code docker://…} or {@code oci:DIR:TAG}. */
public final class AttachmentStores {
    private AttachmentStores() {}

    /**
     * @param write    whether signatures will be added (asks the registry for push access)
     * @param identity for {@code oci:}: the reference a new signature names (null: the image's recorded name)
     */
    public static AttachmentStore open(String image, RegistrySettings settings, boolean write, String identity)
            throws IOException {
        ImageReference ref = ImageReference.parseSource(image);
        if (ref instanceof ImageReference.Registry r) {
            if (identity != null) {
                throw new InputException("--identity is for oci: layouts; a registry image is signed as the name it is pushed under");
            }
            return RegistryAttachments.open(r.ref(), settings, write);
        }
        if (ref instanceof ImageReference.OciLayout l) {
            return LayoutAttachments.open(l.dir(), l.tag(), identity);
        }
        throw new InputException(image + ": signatures live beside an image in a registry (docker://) or an OCI layout"
                + " (oci:DIR:TAG), not in " + ref.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT) + " images");
    }
}
