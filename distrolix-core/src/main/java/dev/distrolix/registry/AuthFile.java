package dev.distrolix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One credentials file in Docker's {@code config.json} shape, which podman's {@code auth.json}
 * shares: {@code auths} (base64 {@code user:pass}, or username/password, or identitytoken),
 * {@code credHelpers} (registry → helper suffix) and {@code credsStore} (the default helper).
 *
 * <p>Lookup for a registry: its {@code credHelpers} entry; else a usable {@code auths} entry;
 * else {@code credsStore}. Keys are compared without scheme and path, so the old
 * {@code https://host/v1/} spelling matches {@code host}.
 */
final class AuthFile {

    private final String name;
    private final JsonNode root;

    private AuthFile(String name, JsonNode root) {
        this.name = name;
        this.root = root;
    }

    /** {@code name} is how messages refer to the file (its path, or an environment variable). */
    static AuthFile parse(String name, byte[] json) throws IOException {
        try {
            JsonNode root = dev.distrolix.json.JsonTrees.read(new String(json, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            return new AuthFile(name, root);
        } catch (IOException e) {
            throw new IOException("cannot read credentials file " + name + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    Optional<Credentials> lookup(String registry, Map<String, String> env) throws IOException {
        List<String> keys = keysFor(registry);
        String helper = find(root.path("credHelpers"), keys).map(JsonNode::asText).orElse(null);
        if (helper != null && !helper.isEmpty()) {
            return CredentialHelper.get(helper, serverUrl(registry), env, name);
        }
        Optional<JsonNode> entry = find(root.path("auths"), keys);
        if (entry.isPresent()) {
            Optional<Credentials> c = decode(entry.get(), registry);
            if (c.isPresent()) {
                return c;
            }
        }
        String store = root.path("credsStore").asText("");
        if (!store.isEmpty()) {
            return CredentialHelper.get(store, serverUrl(registry), env, name);
        }
        return Optional.empty();
    }

    private Optional<Credentials> decode(JsonNode e, String registry) throws IOException {
        String token = e.path("identitytoken").asText("");
        if (!token.isEmpty()) {
            return Optional.of(new Credentials("<token>", token, true, name));
        }
        String auth = e.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException bad) {
                throw new IOException("credentials file " + name + ": the auth of " + registry + " is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new IOException("credentials file " + name + ": the auth of " + registry
                        + " is not base64 of USER:PASSWORD");
            }
            return Optional.of(Credentials.basic(decoded.substring(0, colon), decoded.substring(colon + 1), name));
        }
        String user = e.path("username").asText("");
        String password = e.path("password").asText("");
        return user.isEmpty() ? Optional.empty() : Optional.of(Credentials.basic(user, password, name));
    }

    private static Optional<JsonNode> find(JsonNode map, List<String> keys) {
        if (!map.isObject()) {
            return Optional.empty();
        }
        for (String wanted : keys) {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (normalize(f.getKey()).equals(wanted)) {
                    return Optional.of(f.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** "https://index.docker.io/v1/" → "index.docker.io"; "host:5000" stays. */
    static String normalize(String key) {
        String k = key.strip();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        return (slash >= 0 ? k.substring(0, slash) : k).toLowerCase(java.util.Locale.ROOT);
    }

    /** The keys a registry may be stored under, most specific first. */
    static List<String> keysFor(String registry) {
        String r = registry.toLowerCase(java.util.Locale.ROOT);
        if (r.equals(RegistryRef.DOCKER_HUB)) {
            return List.of("index.docker.io", "docker.io", "registry-1.docker.io");
        }
        return List.of(r);
    }

    /** What a helper is asked for: Docker Hub's historic URL, otherwise host[:port]. */
    static String serverUrl(String registry) {
        return registry.equals(RegistryRef.DOCKER_HUB) ? "https://index.docker.io/v1/" : registry;
    }
}
