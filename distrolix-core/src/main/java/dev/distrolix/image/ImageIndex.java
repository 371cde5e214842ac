package dev.distrolix.image;

import java.io.IOException;
import java.util.List;

/** An OCI image index or Docker manifest list: go-containerregistry's {@code v1.ImageIndex}. */
public non-sealed interface ImageIndex extends Artifact {
    /** The entries, as the index lists them (each with its platform where given). */
    List<Descriptor> manifests();

    /** The image an entry names, read and verified. */
    Image image(Descriptor entry) throws IOException;
}
