package dev.distrolix.transport;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import dev.distrolix.registry.RegistryRef;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where an image is read from or written to, spelled like skopeo's transports — one parser for
 * every command, sources and outputs alike:
 * {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]}, {@code docker-archive:FILE[:NAME[:TAG]]},
 * {@code podman[:NAME[:TAG]]} (also {@code containers-storage:}), {@code docker[:NAME[:TAG]]} and
 * {@code docker://HOST[:PORT]/REPO[:TAG[,TAG…]|@DIGEST]}.
 *
 * <p>As in skopeo, a path ends at the <em>first</em> ':'; in NAME[:TAG] the last ':' is the tag
 * separator only after the last '/', so {@code localhost:5000/app} is a name without a tag.
 * Missing names and tags of an output are filled by {@link #withDefaults}. Each record is read
 * by {@link Transports#open} and written by {@link Transports#write}.
 */
public sealed interface ImageReference {
    String FORMS = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME[:TAG]], podman:NAME[:TAG], "
            + "docker:NAME[:TAG] or docker://HOST[:PORT]/REPO[:TAG|@DIGEST]";

    /** Image name (repository), or null if not given. */
    String name();

    /** Tag, or null if not given. */
    String tag();

    /** Every tag the reference names, the main one first (a registry's may name several); empty while none is. */
    default List<String> tags() {
        return tag() == null ? List.of() : List.of(tag());
    }

    /** This reference with a missing name and/or tag taken from the defaults (validated). */
    ImageReference withDefaults(String defaultName, String defaultTag);

    /** The resolved NAME:TAG, or null while either is missing. */
    default ImageName imageName() {
        return name() == null || tag() == null ? null : new ImageName(name(), tag());
    }

    /** An OCI image layout directory; an existing layout keeps its other images. */
    record OciLayout(Path dir, String tag, String name) implements ImageReference {
        public OciLayout {
            Objects.requireNonNull(dir, "dir");
        }

        @Override
        public OciLayout withDefaults(String defaultName, String defaultTag) {
            return new OciLayout(dir, pick(tag, defaultTag, true), pick(name, defaultName, false));
        }

        @Override
        public String toString() {
            return "oci:" + dir + (tag == null ? "" : ":" + tag);
        }
    }

    /** A tar of an OCI image layout. */
    record OciArchive(Path file, String tag, String name) implements ImageReference {
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

    /** A {@code docker save} tarball; we write the Docker 25 shape (OCI layout plus manifest.json). */
    record DockerArchive(Path file, String name, String tag) implements ImageReference {
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

    /** An image in podman's or Docker's store. */
    record Daemon(Engine engine, String name, String tag) implements ImageReference {
        public Daemon {
            Objects.requireNonNull(engine, "engine");
        }

        @Override
        public Daemon withDefaults(String defaultName, String defaultTag) {
            return new Daemon(engine, pick(name, defaultName, false), pick(tag, defaultTag, true));
        }

        /** NAME[:TAG] as the engine is asked for it. */
        public String engineReference() {
            return name + (tag == null ? "" : ":" + tag);
        }

        @Override
        public String toString() {
            return engine.command() + (name == null ? "" : ":" + name + (tag == null ? "" : ":" + tag));
        }
    }

    /**
     * A registry: {@code name} is {@code HOST[:PORT]/REPO} as written (Docker Hub when the first
     * component is not a host); written under {@code tag} and each of {@code moreTags}
     * ({@code docker://host/app:1.0,latest}); read by tag or by {@code digest}.
     */
    record Registry(String name, String tag, List<String> moreTags, Digest digest) implements ImageReference {
        public Registry {
            Objects.requireNonNull(name, "name");
            moreTags = moreTags == null ? List.of() : List.copyOf(moreTags);
        }

        @Override
        public Registry withDefaults(String defaultName, String defaultTag) {
            return new Registry(name, digest != null ? tag : pick(tag, defaultTag, true), moreTags, digest);
        }

        /** The parsed reference (registry, repository, first tag or digest). */
        public RegistryRef ref() {
            RegistryRef r = RegistryRef.parse(name + (digest != null ? "@" + digest : ""));
            return tag == null ? r : r.withTag(tag);
        }

        /** Every tag, first the main one; empty while no tag is known. */
        @Override
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
            return "docker://" + name
                    + (digest != null ? "@" + digest : tag == null ? "" : ":" + String.join(",", tags()));
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

    /** Parses a reference; anything wrong is an {@link InputException} of one line naming the accepted forms. */
    static ImageReference parse(String text) {
        Objects.requireNonNull(text, "reference");
        try {
            return ReferenceParser.parse(text);
        } catch (IllegalArgumentException | InputException e) {
            throw new InputException("invalid image reference '" + printable(text) + "': " + printable(e.getMessage()) + " (expected "
                    + FORMS + ")", e);
        }
    }

    /** Parses an output: as {@link #parse}, refusing what names no place to write (a registry digest). */
    static ImageReference parseTarget(String text) {
        ImageReference r = parse(text);
        if (r instanceof Registry g && g.digest() != null) {
            throw new InputException("invalid image reference '" + printable(text) + "': an image is pushed under tags, not to "
                    + "a digest (expected docker://HOST[:PORT]/REPO[:TAG[,TAG…]])");
        }
        return r;
    }

    /**
     * Parses an image to read: as {@link #parse}, and also a bare path to an existing OCI layout
     * directory or archive of either kind (its kind read from its content).
     */
    static ImageReference parseSource(String text) {
        Objects.requireNonNull(text, "reference");
        if (!ReferenceParser.hasTransport(text)) {
            Path p;
            try {
                p = Path.of(text);
            } catch (InvalidPathException e) {
                p = null;
            }
            if (p != null && !text.isEmpty() && Files.isDirectory(p)) {
                return new OciLayout(p, null, null);
            }
            if (p != null && !text.isEmpty() && Files.isRegularFile(p)) {
                return ArchiveKind.isDockerArchive(p) ? new DockerArchive(p, null, null) : new OciArchive(p, null, null);
            }
            throw new InputException("'" + printable(text) + "': no such image (expected " + FORMS + " or a path)");
        }
        ImageReference r = parse(text);
        if (r instanceof Daemon d && d.name() == null) {
            throw new InputException("'" + printable(text) + "': no image name (expected " + d.engine().command() + ":NAME[:TAG])");
        }
        if (r instanceof Registry g && !g.moreTags().isEmpty()) {
            throw new InputException("'" + printable(text) + "': an image to read has one tag, not " + g.tags().size());
        }
        return r;
    }

    private static String pick(String given, String dflt, boolean isTag) {
        if (given != null || dflt == null) {
            return given;
        }
        try {
            if (isTag) {
                ImageName.checkTag(dflt);
            } else {
                ImageName.checkName(dflt);
            }
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        return dflt;
    }

    /** The text with control characters (a newline in a reference) escaped: messages are one line. */
    static String printable(String text) {
        return dev.distrolix.Printable.escaped(text);
    }

    /** The file an archive reference names ({@code oci-archive:}, {@code docker-archive:}); null for any other. */
    default Path archiveFile() {
        return this instanceof OciArchive a ? a.file() : this instanceof DockerArchive d ? d.file() : null;
    }
}
