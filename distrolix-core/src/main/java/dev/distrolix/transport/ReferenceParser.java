package dev.distrolix.transport;

import dev.distrolix.blob.Digest;
import dev.distrolix.registry.RegistryRef;
import dev.distrolix.transport.ImageReference.Daemon;
import dev.distrolix.transport.ImageReference.DockerArchive;
import dev.distrolix.transport.ImageReference.Engine;
import dev.distrolix.transport.ImageReference.OciArchive;
import dev.distrolix.transport.ImageReference.OciLayout;
import dev.distrolix.transport.ImageReference.Registry;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The grammar behind {@link ImageReference#parse}; problems are IllegalArgumentExceptions the caller words. */
final class ReferenceParser {
    private static final Set<String> TRANSPORTS = Set.of("oci", "oci-archive", "docker-archive", "podman",
            "containers-storage", "docker");

    private ReferenceParser() {}

    static boolean hasTransport(String text) {
        int colon = text.indexOf(':');
        return TRANSPORTS.contains(colon < 0 ? text : text.substring(0, colon));
    }

    static ImageReference parse(String text) {
        int colon = text.indexOf(':');
        String transport = colon < 0 ? text : text.substring(0, colon);
        String rest = colon < 0 ? null : text.substring(colon + 1);
        switch (transport) {
            case "oci", "oci-archive" -> {
                String[] pathAndTag = pathAnd(rest, transport);
                Path p = path(pathAndTag[0]);
                String tag = pathAndTag[1];
                if (tag != null) {
                    ImageName.checkTag(tag);
                }
                return transport.equals("oci") ? new OciLayout(p, tag, null) : new OciArchive(p, tag, null);
            }
            case "docker-archive" -> {
                String[] pathAndRef = pathAnd(rest, transport);
                String[] ref = nameAndTag(pathAndRef[1]);
                return new DockerArchive(path(pathAndRef[0]), ref[0], ref[1]);
            }
            case "podman", "containers-storage", "docker" -> {
                if (rest != null && rest.startsWith("//") && transport.equals("docker")) {
                    return registry(rest.substring(2));
                }
                String[] ref = rest == null ? new String[2] : nameAndTag(rest);
                return new Daemon(transport.equals("docker") ? Engine.DOCKER : Engine.PODMAN, ref[0], ref[1]);
            }
            default -> throw new IllegalArgumentException(transport.isEmpty() ? "no transport"
                    : "unknown transport '" + transport + "'");
        }
    }

    /** {@code HOST[:PORT]/REPO[:TAG[,TAG…]|@DIGEST]}: validated now, so a bad name fails before any work. */
    private static Registry registry(String ref) {
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("docker:// needs HOST[:PORT]/REPO");
        }
        String name = ref;
        Digest digest = null;
        int at = ref.indexOf('@');
        if (at >= 0) {
            name = ref.substring(0, at);
            try {
                digest = Digest.parse(ref.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad digest '" + ref.substring(at + 1) + "'");
            }
        }
        List<String> tags = new ArrayList<>();
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            if (digest != null) {
                throw new IllegalArgumentException("give a tag or a digest, not both");
            }
            for (String t : name.substring(colon + 1).split(",", -1)) {
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("empty tag in '" + name.substring(colon + 1) + "'");
                }
                ImageName.checkTag(t);
                tags.add(t);
            }
            name = name.substring(0, colon);
        }
        RegistryRef.parse(name); // validates host and repository
        return new Registry(name, tags.isEmpty() ? null : tags.get(0),
                tags.isEmpty() ? List.of() : tags.subList(1, tags.size()), digest);
    }

    /** Splits {@code PATH[:MORE]} at the first ':' (skopeo's rule). */
    private static String[] pathAnd(String rest, String transport) {
        if (rest == null || rest.isEmpty() || rest.startsWith(":")) {
            throw new IllegalArgumentException(transport + ": needs a path");
        }
        int colon = rest.indexOf(':');
        if (colon < 0) {
            return new String[] {rest, null};
        }
        String more = rest.substring(colon + 1);
        if (more.isEmpty()) {
            throw new IllegalArgumentException("empty name or tag after ':'");
        }
        return new String[] {rest.substring(0, colon), more};
    }

    private static String[] nameAndTag(String ref) {
        if (ref == null) {
            return new String[2];
        }
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("empty image name");
        }
        if (ref.startsWith("-")) {
            throw new IllegalArgumentException("an image name cannot start with '-'");
        }
        String[] parts = ImageName.splitReference(ref);
        ImageName.checkName(parts[0]);
        if (parts[1] != null) {
            ImageName.checkTag(parts[1]);
        }
        return parts;
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("bad path '" + s + "'");
        }
    }
}
