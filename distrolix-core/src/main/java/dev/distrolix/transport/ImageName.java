package dev.distrolix.transport;

import java.util.regex.Pattern;

/**
 * A repository name plus tag, e.g. {@code localhost:5000/team/app:1.0}, checked against the
 * distribution-spec grammar so that every loader (podman, Docker, containerd) accepts it.
 * {@link #toString()} keeps the name as the user wrote it (that is what goes into a
 * docker-archive's RepoTags, like {@code docker save} does); {@link #normalized()} is the fully
 * qualified form containerd stores in {@code io.containerd.image.name}.
 */
public record ImageName(String name, String tag) {
    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?";
    private static final String PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern NAME = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_PART + "(?:/" + PATH_PART + ")*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public ImageName {
        checkName(name);
        checkTag(tag);
    }

    /** Parses {@code NAME:TAG}; see {@link #splitReference(String)} for where the tag starts. */
    public static ImageName parse(String reference) {
        String[] parts = splitReference(reference);
        if (parts[1] == null) {
            throw new IllegalArgumentException("image reference '" + reference + "' has no tag (NAME:TAG)");
        }
        return new ImageName(parts[0], parts[1]);
    }

    /**
     * Splits {@code NAME[:TAG]} into {name, tag-or-null}. The last ':' separates the tag only
     * when it comes after the last '/', so {@code localhost:5000/x} is a name without a tag.
     */
    static String[] splitReference(String ref) {
        if (ref.indexOf('@') >= 0) {
            throw new IllegalArgumentException("digest references (NAME@sha256:…) cannot name a written image: '"
                    + ref + "'");
        }
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) {
            return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
        }
        return new String[] {ref, null};
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("image name is empty");
        }
        if (name.length() > 255 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid image name '" + name
                    + "' (lowercase [a-z0-9._-] components separated by '/', optionally after a registry host[:port]/)");
        }
    }

    static void checkTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag '" + tag + "' (up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-')");
        }
    }

    /**
     * The fully qualified reference: a first component that looks like a host (has '.' or ':',
     * or is "localhost") is the registry; otherwise docker.io, with "library/" before a
     * single-component name — the rule every Docker-compatible tool applies (index.docker.io
     * is docker.io too).
     */
    public String normalized() {
        String domain = "docker.io";
        String path = name;
        if (hasRegistry()) {
            int slash = name.indexOf('/');
            domain = name.substring(0, slash);
            path = name.substring(slash + 1);
            if (domain.equals("index.docker.io")) {
                domain = "docker.io";
            }
        }
        if (domain.equals("docker.io") && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        return domain + "/" + path + ":" + tag;
    }

    /** Whether the first component names a registry host (has '.' or ':', or is "localhost"). */
    public boolean hasRegistry() {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        return slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase()));
    }

    /**
     * Podman's convention for images made locally: an unqualified {@code app} is
     * {@code localhost/app} (as after {@code podman build -t app}), not docker.io/library/app.
     */
    public ImageName podmanLocal() {
        return hasRegistry() ? this : new ImageName("localhost/" + name, tag);
    }

    @Override
    public String toString() {
        return name + ":" + tag;
    }
}
