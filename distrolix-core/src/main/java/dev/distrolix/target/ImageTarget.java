package dev.distrolix.target;

import dev.distrolix.registry.RegistryRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where an image goes, spelled like skopeo's transports:
 * {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]}, {@code docker-archive:FILE[:NAME[:TAG]]},
 * {@code podman[:NAME[:TAG]]}, {@code docker[:NAME[:TAG]]} and {@code docker://HOST[:PORT]/REPO[:TAG[,TAG…]]}
 * (a registry push).
 *
 * <p>As in skopeo, the path ends at the <em>first</em> ':' (so paths cannot contain one); in a
 * NAME[:TAG] the last ':' is the tag separator only when it follows the last '/', so
 * {@code localhost:5000/app} is a name without a tag. Missing names and tags are filled by
 * {@link #withDefaults(String, String)} from the caller's defaults; name and tag are null until then.
 */
public sealed interface ImageTarget {
    String FORMS = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME[:TAG]], "
            + "podman[:NAME[:TAG]], docker[:NAME[:TAG]] or docker://HOST[:PORT]/REPO[:TAG]";

    /** Image name (repository), or null if not given yet. */
    String name();

    /** Tag, or null if not given yet. */
    String tag();

    /** This target with a missing name and/or tag taken from the defaults (which are validated). */
    ImageTarget withDefaults(String defaultName, String defaultTag);

    /** The resolved name, or null if this target has no name (possible only for oci: outputs). */
    default ImageName imageName() {
        if (name() == null || tag() == null) {
            return null;
        }
        return new ImageName(name(), tag());
    }

    /** An OCI image layout directory; an existing layout keeps its other images. */
    record OciDir(Path dir, String tag, String name) implements ImageTarget {
        public OciDir {
            Objects.requireNonNull(dir, "dir");
        }

        @Override
        public OciDir withDefaults(String defaultName, String defaultTag) {
            return new OciDir(dir, pick(tag, defaultTag, true), pick(name, defaultName, false));
        }

        @Override
        public String toString() {
            return "oci:" + dir + (tag == null ? "" : ":" + tag);
        }
    }

    /** A tar of an OCI image layout holding just this image. */
    record OciArchive(Path file, String tag, String name) implements ImageTarget {
        public OciArchive {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public OciArchive withDefaults(String defaultName, String defaultTag) {
            return new OciArchive(file, pick(tag, defaultTag, true), pick(name, defaultName, false));
        }

        @Override
        public String toString() {
            return "oci-archive:" + file + (tag == null ? "" : ":" + tag);
        }
    }

    /** A {@code docker save}-style tarball (Docker 25 shape: OCI layout plus manifest.json). */
    record DockerArchive(Path file, String name, String tag) implements ImageTarget {
        public DockerArchive {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public DockerArchive withDefaults(String defaultName, String defaultTag) {
            return new DockerArchive(file, pick(name, defaultName, false), pick(tag, defaultTag, true));
        }

        @Override
        public String toString() {
            return "docker-archive:" + file + (name == null ? "" : ":" + name + (tag == null ? "" : ":" + tag));
        }
    }

    /** Streams a docker-archive into {@code podman load} or {@code docker load}. */
    record Daemon(Engine engine, String name, String tag) implements ImageTarget {
        public Daemon {
            Objects.requireNonNull(engine, "engine");
        }

        @Override
        public Daemon withDefaults(String defaultName, String defaultTag) {
            return new Daemon(engine, pick(name, defaultName, false), pick(tag, defaultTag, true));
        }

        @Override
        public String toString() {
            return engine.command() + (name == null ? "" : ":" + name + (tag == null ? "" : ":" + tag));
        }
    }

    /**
     * A registry: {@code name} is {@code HOST[:PORT]/REPO} as written (Docker Hub when the first
     * component is not a host); the image is pushed under {@code tag} and each of {@code moreTags}
     * ({@code docker://host/app:1.0,latest}).
     */
    record Registry(String name, String tag, List<String> moreTags) implements ImageTarget {
        public Registry {
            Objects.requireNonNull(name, "name");
            moreTags = moreTags == null ? List.of() : List.copyOf(moreTags);
        }

        @Override
        public Registry withDefaults(String defaultName, String defaultTag) {
            return new Registry(name, pick(tag, defaultTag, true), moreTags);
        }

        /** Where to push, parsed (registry, repository, first tag). */
        public RegistryRef ref() {
            RegistryRef r = RegistryRef.parse(name);
            return tag == null ? r : r.withTag(tag);
        }

        /** Every tag, first the main one; empty while no tag is known. */
        public List<String> tags() {
            if (tag == null) {
                return List.of();
            }
            List<String> all = new ArrayList<>(List.of(tag));
            moreTags.stream().filter(t -> !all.contains(t)).forEach(all::add);
            return all;
        }

        @Override
        public String toString() {
            return "docker://" + name + (tag == null ? "" : ":" + String.join(",", tags()));
        }
    }

    enum Engine {
        PODMAN("podman"), DOCKER("docker");

        private final String command;

        Engine(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    /** Parses a target string; any problem is one line naming the accepted forms. */
    static ImageTarget parse(String spec) {
        Objects.requireNonNull(spec, "target");
        try {
            return TargetParser.parse(spec);
        } catch (IllegalArgumentException | dev.distrolix.InputException e) {
            throw new IllegalArgumentException("invalid output '" + spec + "': " + e.getMessage()
                    + "; expected " + FORMS, e);
        }
    }

    private static String pick(String given, String dflt, boolean isTag) {
        if (given != null || dflt == null) {
            return given;
        }
        if (isTag) {
            ImageName.checkTag(dflt);
        } else {
            ImageName.checkName(dflt);
        }
        return dflt;
    }
}
