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
                    + "Per registry: DISTROLIX_INSECURE_REGISTRIES=host:port,...")
    boolean insecure;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Overall limit for the registry work of this command (every request and retry), "
                    + "counted from its first registry request: 90s, 5m, 1h or plain seconds; 0 for none. "
                    + "Default: ${DEFAULT-VALUE}. Besides, a connection must open within "
                    + "10 s and a transfer may not stall (no byte either way) for 30 s.")
    java.time.Duration timeout;

    @Option(names = "--cert-dir", paramLabel = "DIR",
            description = "TLS files for the registry: *.crt are CA certificates trusted besides the system's, "
                    + "NAME.cert with NAME.key a client certificate (PEM; keys PKCS#8 or RSA PKCS#1). "
                    + "Default: the registry's folder (HOST:PORT) in ~/.config/containers/certs.d, "
                    + "/etc/containers/certs.d or /etc/docker/certs.d, as podman and Docker read them.")
    java.nio.file.Path certDir;

    /** The settings these options (and the environment) give, for reading images (no progress). */
    RegistrySettings settings() {
        return settings(PushListener.NONE);
    }

    /** The settings these options (and the environment) give, reporting to {@code listener}. */
    RegistrySettings settings(PushListener listener) {
        RegistrySettings s = RegistrySettings.defaults().withInsecure(insecure).withListener(listener)
                .withDeadline(timeout);
        if (certDir != null) {
            s = s.withCertDir(certDir);
        }
        if (creds != null) {
            s = s.withExplicitCredentials(Credentials.parse(creds, "--creds"));
        }
        return s;
    }

    /** "30s", "5m", "1h", "1m30s" or plain seconds. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<java.time.Duration> {
        private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public java.time.Duration convert(String value) {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            if (v.matches("\\d+")) {
                return java.time.Duration.ofSeconds(Long.parseLong(v));
            }
            java.util.regex.Matcher m = PART.matcher(v);
            java.time.Duration d = java.time.Duration.ZERO;
            int at = 0;
            while (at < v.length() && m.find(at) && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "ms" -> java.time.Duration.ofMillis(n);
                    case "s" -> java.time.Duration.ofSeconds(n);
                    case "m" -> java.time.Duration.ofMinutes(n);
                    default -> java.time.Duration.ofHours(n);
                });
                at = m.end();
            }
            if (v.isEmpty() || at != v.length()) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a duration (examples: 30s, 5m, 1h, 1m30s, 90)");
            }
            return d;
        }
    }
}
