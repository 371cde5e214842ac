package dev.distrolix.registry;

import dev.distrolix.InputException;
import dev.distrolix.blob.Digest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image in a registry: {@code HOST[:PORT]/REPO[:TAG][@DIGEST]}, as written after
 * {@code docker://}. The first component is the registry only when it looks like a host (has a
 * '.' or ':', or is {@code localhost}) — Docker's rule — otherwise the registry is Docker Hub
 * and a one-component repository gets the {@code library/} prefix.
 *
 * @param registry   the registry as users name it ({@code host[:port]}; Docker Hub is {@code docker.io})
 * @param repository the repository path inside it ({@code team/app})
 * @param tag        the tag, or null
 * @param digest     the manifest digest, or null
 */
public record RegistryRef(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final String PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY = Pattern.compile(PATH_PART + "(?:/" + PATH_PART + ")*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");

    public RegistryRef {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (!HOST.matcher(registry).matches()) {
            throw new InputException("invalid registry host '" + registry + "'");
        }
        if (repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw new InputException("invalid repository name '" + repository
                    + "' (lowercase [a-z0-9._-] components separated by '/')");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new InputException("invalid tag '" + tag
                    + "' (up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-')");
        }
    }

    /** Parses {@code HOST[:PORT]/REPO[:TAG][@DIGEST]} (without the {@code docker://} prefix). */
    public static RegistryRef parse(String ref) {
        Objects.requireNonNull(ref, "reference");
        if (ref.isEmpty()) {
            throw new InputException("empty image reference");
        }
        Digest digest = null;
        int at = ref.indexOf('@');
        String rest = ref;
        if (at >= 0) {
            try {
                digest = Digest.parse(ref.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new InputException("invalid digest '" + ref.substring(at + 1) + "' (sha256:<64 hex>)");
            }
            rest = ref.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.isEmpty()) {
                throw new InputException("empty tag after ':'");
            }
        }
        String[] hostAndRepo = splitHost(rest);
        return new RegistryRef(hostAndRepo[0], hostAndRepo[1], tag, digest);
    }

    /** {host, repository} with Docker Hub's defaults applied. */
    static String[] splitHost(String name) {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || first.startsWith("["))) {
            String host = first.equals("index.docker.io") || first.equals("registry-1.docker.io") ? DOCKER_HUB : first;
            String repo = name.substring(slash + 1);
            return new String[] {host, host.equals(DOCKER_HUB) && repo.indexOf('/') < 0 ? "library/" + repo : repo};
        }
        return new String[] {DOCKER_HUB, name.indexOf('/') < 0 ? "library/" + name : name};
    }

    /** The same image under another tag (and no digest). */
    public RegistryRef withTag(String newTag) {
        return new RegistryRef(registry, repository, newTag, null);
    }

    /** The host:port the API is served on: Docker Hub's API lives on registry-1.docker.io. */
    public String apiHost() {
        return apiHost(registry);
    }

    static String apiHost(String registry) {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** What goes into {@code /v2/<name>/manifests/<reference>}: the digest if given, else the tag. */
    public String reference() {
        if (digest != null) {
            return digest.toString();
        }
        return tag != null ? tag : "latest";
    }

    /** {@code host/repo:tag} without the transport, as podman and skopeo print it. */
    public String familiar() {
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public String toString() {
        return "docker://" + familiar();
    }
}
