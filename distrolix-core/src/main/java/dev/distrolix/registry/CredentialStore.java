package dev.distrolix.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the credentials for a registry, the way podman, skopeo and Docker do, in this order:
 * <ol>
 *   <li>explicit ones ({@code --creds USER:PASS}, or {@code DISTROLIX_REGISTRY_USER} and
 *       {@code DISTROLIX_REGISTRY_PASSWORD}) — used for every registry of the command;
 *   <li>{@code $REGISTRY_AUTH_FILE}, else {@code $XDG_RUNTIME_DIR/containers/auth.json} and
 *       {@code ~/.config/containers/auth.json} (podman login);
 *   <li>{@code $DOCKER_AUTH_CONFIG} (inline JSON), then {@code $DOCKER_CONFIG/config.json}, else
 *       {@code ~/.docker/config.json} (docker login), with their credential helpers.
 * </ol>
 * Files are read when a registry asks for credentials, not before: an anonymous registry never
 * runs a credential helper.
 */
public final class CredentialStore {
    public static final String USER_VARIABLE = "DISTROLIX_REGISTRY_USER";
    public static final String PASSWORD_VARIABLE = "DISTROLIX_REGISTRY_PASSWORD";

    private final Credentials explicit;
    private final Map<String, String> env;
    private final Path home;

    private CredentialStore(Credentials explicit, Map<String, String> env, Path home) {
        this.explicit = explicit;
        this.env = Map.copyOf(env);
        this.home = home;
    }

    /** From this process's environment and home directory. */
    public static CredentialStore fromEnvironment() {
        return of(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * From a given environment (variables as above, plus PATH for credential helpers).
     *
     * @throws dev.distrolix.InputException if only one of the two DISTROLIX_REGISTRY_ variables is set
     */
    public static CredentialStore of(Map<String, String> env, Path home) {
        String user = env.get(USER_VARIABLE);
        String password = env.get(PASSWORD_VARIABLE);
        Credentials fromEnv = null;
        if (user != null && !user.isEmpty()) {
            if (password == null) {
                throw new dev.distrolix.InputException(USER_VARIABLE + " is set but " + PASSWORD_VARIABLE + " is not");
            }
            fromEnv = Credentials.basic(user, password, USER_VARIABLE);
        } else if (password != null && !password.isEmpty()) {
            throw new dev.distrolix.InputException(PASSWORD_VARIABLE + " is set but " + USER_VARIABLE + " is not");
        }
        return new CredentialStore(fromEnv, env, home);
    }

    /** This store with explicit credentials (e.g. from {@code --creds}) that win over everything else. */
    public CredentialStore withExplicit(Credentials credentials) {
        return new CredentialStore(credentials, env, home);
    }

    /** Credentials for {@code registry} (host[:port], Docker Hub as docker.io), if any source has them. */
    public Optional<Credentials> lookup(String registry) throws IOException {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        for (Source s : sources()) {
            AuthFile file = s.read();
            if (file != null) {
                Optional<Credentials> c = file.lookup(registry, env);
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        return Optional.empty();
    }

    /** Where lookup looks, for "no credentials for X (looked in …)". */
    public List<String> searched() {
        List<String> names = new ArrayList<>();
        for (Source s : sources()) {
            names.add(s.name());
        }
        return names;
    }

    private List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        String authFile = env.get("REGISTRY_AUTH_FILE");
        if (authFile != null && !authFile.isEmpty()) {
            sources.add(Source.file(Path.of(authFile)));
        } else {
            String runtime = env.get("XDG_RUNTIME_DIR");
            if (runtime != null && !runtime.isEmpty()) {
                sources.add(Source.file(Path.of(runtime, "containers", "auth.json")));
            }
            String configHome = env.get("XDG_CONFIG_HOME");
            Path config = configHome != null && !configHome.isEmpty() ? Path.of(configHome) : home.resolve(".config");
            sources.add(Source.file(config.resolve("containers").resolve("auth.json")));
        }
        String inline = env.get("DOCKER_AUTH_CONFIG");
        if (inline != null && !inline.isBlank()) {
            sources.add(new Source("$DOCKER_AUTH_CONFIG", () -> AuthFile.parse("$DOCKER_AUTH_CONFIG",
                    inline.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        String dockerConfig = env.get("DOCKER_CONFIG");
        Path dockerDir = dockerConfig != null && !dockerConfig.isEmpty() ? Path.of(dockerConfig) : home.resolve(".docker");
        sources.add(Source.file(dockerDir.resolve("config.json")));
        return sources;
    }

    private record Source(String name, Reader reader) {
        interface Reader {
            AuthFile read() throws IOException;
        }

        static Source file(Path p) {
            return new Source(p.toString(), () -> {
                try {
                    byte[] bytes = dev.distrolix.SmallFiles.read(p, dev.distrolix.json.Mappers.MAX_DOCUMENT,
                            "a credentials file");
                    return AuthFile.parse(p.toString(), bytes);
                } catch (NoSuchFileException absent) {
                    return null;
                }
            });
        }

        AuthFile read() throws IOException {
            return reader.read();
        }
    }
}
