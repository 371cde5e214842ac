package dev.distrolix.target;

import dev.distrolix.target.ImageTarget.Daemon;
import dev.distrolix.target.ImageTarget.DockerArchive;
import dev.distrolix.target.ImageTarget.Engine;
import dev.distrolix.target.ImageTarget.OciArchive;
import dev.distrolix.target.ImageTarget.OciDir;
import dev.distrolix.target.ImageTarget.Registry;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parses target strings for {@link ImageTarget#parse(String)}; kept apart so the records stay readable. */
final class TargetParser {
    private TargetParser() {}

    static ImageTarget parse(String spec) {
        int colon = spec.indexOf(':');
        String transport = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? null : spec.substring(colon + 1);
        switch (transport) {
            case "oci", "oci-archive" -> {
                String[] pathAndTag = pathAnd(rest, transport);
                Path p = path(pathAndTag[0]);
                String tag = pathAndTag[1];
                if (tag != null) {
                    ImageName.checkTag(tag);
                }
                return transport.equals("oci") ? new OciDir(p, tag, null) : new OciArchive(p, tag, null);
            }
            case "docker-archive" -> {
                String[] pathAndRef = pathAnd(rest, transport);
                String[] ref = reference(pathAndRef[1]);
                return new DockerArchive(path(pathAndRef[0]), ref[0], ref[1]);
            }
            case "podman", "docker" -> {
                if (rest != null && rest.startsWith("//") && transport.equals("docker")) {
                    return registry(rest.substring(2));
                }
                String[] ref = rest == null ? new String[2] : reference(rest);
                Engine engine = transport.equals("podman") ? Engine.PODMAN : Engine.DOCKER;
                return new Daemon(engine, ref[0], ref[1]);
            }
            default -> throw new IllegalArgumentException(transport.isEmpty() ? "no output kind"
                    : "unknown output kind '" + transport + "'");
        }
    }

    /** {@code HOST[:PORT]/REPO[:TAG[,TAG…]]}: validated now, so a bad name fails before a build. */
    private static Registry registry(String ref) {
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("docker:// needs HOST[:PORT]/REPO");
        }
        if (ref.indexOf('@') >= 0) {
            throw new IllegalArgumentException("a pushed image is named by tags, not by a digest");
        }
        String name = ref;
        List<String> tags = new ArrayList<>();
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) {
            name = ref.substring(0, colon);
            for (String t : ref.substring(colon + 1).split(",", -1)) {
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("empty tag in '" + ref.substring(colon + 1) + "'");
                }
                ImageName.checkTag(t);
                tags.add(t);
            }
        }
        dev.distrolix.registry.RegistryRef.parse(name); // validates host and repository
        return new Registry(name, tags.isEmpty() ? null : tags.get(0), tags.isEmpty() ? List.of()
                : tags.subList(1, tags.size()));
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

    private static String[] reference(String ref) {
        if (ref == null) {
            return new String[2];
        }
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("empty image name");
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
