package dev.distrolix.inspect;

import dev.distrolix.image.Artifact;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.Image;
import dev.distrolix.image.ImageIndex;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.image.Platform;
import dev.distrolix.image.PlatformChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One image of what a reference names, with the index entry that lists it ({@code entry} is null
 * for a lone image). The entry's platform is the label hosts select by; the image's config says
 * what it was built for. The two are kept apart because they can disagree, and audit says so.
 */
public record PlatformImage(Descriptor entry, Image image) {
    /** buildkit's annotation on the manifests of an index that carry attestations, not a platform's image. */
    static final String REFERENCE_TYPE = "vnd.docker.reference.type";

    /** The platform the index lists the image under, or null (a lone image, or an entry without one). */
    public Platform label() {
        return entry == null ? null : entry.platform();
    }

    /** What the image's config says it is built for. */
    public Platform platform() {
        return image.platform();
    }

    /** {@code os/arch[/variant]} as people select it: the index's label, else the config's platform. */
    public String name() {
        return PlatformChoice.format(label() != null ? label() : platform());
    }

    /**
     * Every image of the artifact: a lone image, or each entry of an index that is a platform's
     * image, in the index's order (attestation manifests, nested indexes and repeated entries left out).
     */
    public static List<PlatformImage> all(Artifact artifact) throws IOException {
        if (artifact instanceof Image image) {
            return List.of(new PlatformImage(null, image));
        }
        ImageIndex index = (ImageIndex) artifact;
        List<PlatformImage> out = new ArrayList<>();
        java.util.Set<java.util.List<Object>> listed = new java.util.HashSet<>();
        for (Descriptor d : index.manifests()) {
            // an entry naming the same image under the same platform again says nothing new: read once
            if (isImage(d) && listed.add(java.util.Arrays.asList(d.digest(), d.platform()))) {
                out.add(new PlatformImage(d, index.image(d)));
            }
        }
        return out;
    }

    /** Whether the index lists the image under another platform than its config names (see {@link #equivalent}). */
    public boolean relabelled() {
        return label() != null && !equivalent(label(), platform());
    }

    /**
     * The same platform once variants are normalized as containerd normalizes them: arm64's v8 and
     * arm's v7 are the default, amd64's v1 is no variant; so a label that only spells the default
     * out names the same platform.
     */
    public static boolean equivalent(Platform a, Platform b) {
        return normalized(a).equals(normalized(b));
    }

    private static Platform normalized(Platform p) {
        String v = p.variant();
        switch (p.architecture()) {
            case "arm64" -> v = v == null || v.equals("v8") || v.equals("8") ? null : v;
            case "arm" -> v = v == null ? "v7" : v.startsWith("v") ? v : "v" + v;
            case "amd64" -> v = "v1".equals(v) ? null : v;
            default -> { }
        }
        return new Platform(p.architecture(), p.os(), v);
    }

    /** The image {@link PlatformChoice} picks ({@code wanted} null: the default rule), with its entry. */
    public static PlatformImage chosen(Artifact artifact, Platform wanted, String where) throws IOException {
        Image image = PlatformChoice.pick(artifact, wanted, where);
        if (!(artifact instanceof ImageIndex index)) {
            return new PlatformImage(null, image);
        }
        Descriptor entry = index.manifests().stream().filter(d -> d.digest().equals(image.manifestDigest()))
                .filter(d -> wanted == null || d.platform() == null || PlatformChoice.matches(d.platform(), wanted))
                .findFirst().orElse(null);
        return new PlatformImage(entry, image);
    }

    /**
     * Whether an index entry names a platform's image: not one of buildkit's attestation manifests
     * (annotated, platform unknown/unknown) and not another index.
     */
    public static boolean isImage(Descriptor d) {
        if (d.annotations().containsKey(REFERENCE_TYPE) || d.mediaType().equals(MediaTypes.OCI_INDEX)
                || d.mediaType().equals(MediaTypes.DOCKER_MANIFEST_LIST)) {
            return false;
        }
        return d.platform() == null || !(d.platform().os().equals("unknown") && d.platform().architecture().equals("unknown"));
    }
}
