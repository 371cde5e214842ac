package dev.distrolix.cli;

import dev.distrolix.registry.Credentials;
import dev.distrolix.registry.PushListener;
import dev.distrolix.registry.RegistrySettings;
import picocli.CommandLine.Option;

/** Options for talking to registries, shared by build, copy and the commands that read images (docker://). */
final class RegistryOptions {
    @Option(names = "--creds", paramLabel = "USER:PASSWORD",
            description = "Registry credentials. Default: DISTROLIX_REGISTRY_USER/DISTROLIX_REGISTRY_PASSWORD, "
                    + "else $REGISTRY_AUTH_FILE or containers/auth.json (podman login), else "
                    + "$DOCKER_CONFIG/config.json or ~/.docker/config.json (docker login, credential helpers).")
    String creds;

    @Option(names = "--insecure",
            description = "Allow plain HTTP and unverified TLS for the registry, and credentials over plain HTTP. "
                    + "Without it only localhost/127.0.0.1 may use plain HTTP, and then without credentials. "
                    + "Per registry: DISTROLIX_INSECURE_REGISTRIES=host:port,…")
    boolean insecure;

    /** The settings these options (and the environment) give, for reading images (no progress). */
    RegistrySettings settings() {
        return settings(PushListener.NONE);
    }

    /** The settings these options (and the environment) give, reporting to {@code listener}. */
    RegistrySettings settings(PushListener listener) {
        RegistrySettings s = RegistrySettings.defaults().withInsecure(insecure).withListener(listener);
        if (creds != null) {
            s = s.withExplicitCredentials(Credentials.parse(creds, "--creds"));
        }
        return s;
    }
}
