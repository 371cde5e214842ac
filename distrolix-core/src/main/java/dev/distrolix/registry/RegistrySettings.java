package dev.distrolix.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to talk to registries: credentials, which registries may use plain HTTP or unverified TLS,
 * retries, parallelism, timeouts, where to remember blob locations (for cross-repository mounts)
 * and who hears about progress. Immutable; {@code with…} methods return changed copies.
 *
 * <p>Code that writes images through {@code ImageWriter.write(image, target)} without passing
 * settings gets {@link #defaults()}; {@code ImageBuild.registry(settings)} passes its own.
 *
 * @param insecure           every registry may use plain HTTP and unverified TLS, and credentials may
 *                           go over plain HTTP ({@code --insecure})
 * @param insecureRegistries the same for these registries only ({@code host[:port]});
 *                           {@code DISTROLIX_INSECURE_REGISTRIES=a:5000,b} adds to it
 * @param chunkSize          0 for whole uploads (POST, one PATCH, PUT; POST, PUT for a small blob); else the PATCH chunk size.
 *                           A registry that asks for a minimum chunk size ({@code OCI-Chunk-Min-Length}) gets chunks anyway.
 * @param timeout            the longest wait for an answer's head once a request (or its body) is sent
 * @param connectTimeout     the longest wait for a TCP connection
 * @param stallTimeout       the longest time without a byte while a body goes out or comes in
 * @param deadline           the overall limit of a command's registry work ({@code --timeout}), shared by copies
 * @param certDirs           where a registry's CA and client certificates are looked for ({@code certs.d}, {@code --cert-dir})
 * @param blobCacheDir       where known blob locations are kept between runs, or null for nowhere
 */
public record RegistrySettings(CredentialStore credentials, boolean insecure, Set<String> insecureRegistries,
                               RetryPolicy retry, int parallelUploads, long chunkSize, Duration timeout,
                               Duration connectTimeout, Path blobCacheDir, PushListener listener,
                               Duration stallTimeout, Deadline deadline, CertDirs certDirs) {
    public static final String INSECURE_VARIABLE = "DISTROLIX_INSECURE_REGISTRIES";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    public RegistrySettings {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(certDirs, "certDirs");
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (parallelUploads < 1) {
            throw new IllegalArgumentException("parallelUploads must be at least 1");
        }
    }

    /** Transport rules for one registry. */
    public enum Transport {
        /** HTTPS with verified certificates only (the default for remote registries) */
        HTTPS,
        /** verified HTTPS, else plain HTTP without credentials (the default for localhost/127.0.0.1/::1, as podman and Docker do) */
        HTTPS_OR_HTTP,
        /** unverified HTTPS, else plain HTTP, credentials allowed (explicit opt-in) */
        INSECURE
    }

    /** From the environment: credentials sources, {@value #INSECURE_VARIABLE}, the cache folder. */
    public static RegistrySettings defaults() {
        return defaults(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public static RegistrySettings defaults(Map<String, String> env, Path home) {
        Set<String> insecure = new TreeSet<>();
        String list = env.get(INSECURE_VARIABLE);
        if (list != null) {
            for (String r : list.split("[,\\s]+")) {
                if (!r.isBlank()) {
                    insecure.add(r.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new RegistrySettings(CredentialStore.of(env, home), false, insecure, RetryPolicy.DEFAULT, 3, 0,
                DEFAULT_STALL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, dev.distrolix.CacheDirs.root(env, home), PushListener.NONE,
                DEFAULT_STALL_TIMEOUT, Deadline.NONE, CertDirs.defaults(home));
    }


    public Transport transport(String registry) {
        String r = registry.toLowerCase(Locale.ROOT);
        if (insecure || insecureRegistries.contains(r) || insecureRegistries.contains(hostOf(r))) {
            return Transport.INSECURE;
        }
        return isLoopback(hostOf(r)) ? Transport.HTTPS_OR_HTTP : Transport.HTTPS;
    }

    static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            return registry.substring(1, registry.indexOf(']'));
        }
        int colon = registry.lastIndexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    static boolean isLoopback(String host) {
        if (host.indexOf(':') >= 0) {
            // an IPv6 literal in any of its spellings (::1, 0:0:0:0:0:0:0:1, ::ffff:127.0.0.1): parsed, never looked up
            try {
                return host.matches("[0-9A-Fa-f:.]+") && java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException notAnAddress) {
                return false;
            }
        }
        return host.equals("localhost") || host.matches("127\\.\\d+\\.\\d+\\.\\d+");
    }

    public RegistrySettings withCredentials(CredentialStore store) {
        return new RegistrySettings(store, insecure, insecureRegistries, retry, parallelUploads, chunkSize, timeout,
                connectTimeout, blobCacheDir, listener, stallTimeout, deadline, certDirs);
    }

    /** Explicit credentials ({@code --creds}) for every registry. */
    public RegistrySettings withExplicitCredentials(Credentials c) {
        return withCredentials(credentials.withExplicit(c));
    }

    public RegistrySettings withInsecure(boolean all) {
        return new RegistrySettings(credentials, all, insecureRegistries, retry, parallelUploads, chunkSize, timeout,
                connectTimeout, blobCacheDir, listener, stallTimeout, deadline, certDirs);
    }

    public RegistrySettings withRetry(RetryPolicy policy) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, policy, parallelUploads, chunkSize,
                timeout, connectTimeout, blobCacheDir, listener, stallTimeout, deadline, certDirs);
    }

    public RegistrySettings withParallelUploads(int n) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, n, chunkSize, timeout,
                connectTimeout, blobCacheDir, listener, stallTimeout, deadline, certDirs);
    }

    public RegistrySettings withChunkSize(long bytes) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, bytes, timeout,
                connectTimeout, blobCacheDir, listener, stallTimeout, deadline, certDirs);
    }

    public RegistrySettings withTimeout(Duration t) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, chunkSize, t,
                connectTimeout, blobCacheDir, listener, stallTimeout, deadline, certDirs);
    }

    public RegistrySettings withBlobCacheDir(Path dir) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, chunkSize,
                timeout, connectTimeout, dir, listener, stallTimeout, deadline, certDirs);
    }

    public RegistrySettings withListener(PushListener l) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, chunkSize,
                timeout, connectTimeout, blobCacheDir, l, stallTimeout, deadline, certDirs);
    }

    /** The retry policy, never retrying past the deadline. */
    @Override
    public RetryPolicy retry() {
        return retry.within(deadline);
    }

    /** The limits every request of these settings gets. */
    Http.Limits limits() {
        return new Http.Limits(stallTimeout, deadline);
    }

    public RegistrySettings withConnectTimeout(Duration t) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, chunkSize,
                timeout, t, blobCacheDir, listener, stallTimeout, deadline, certDirs);
    }

    public RegistrySettings withStallTimeout(Duration t) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, chunkSize,
                timeout, connectTimeout, blobCacheDir, listener, t, deadline, certDirs);
    }

    /** An overall limit ({@code --timeout}) whose clock starts at the first request; null or zero: none. */
    public RegistrySettings withDeadline(Duration total) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, chunkSize,
                timeout, connectTimeout, blobCacheDir, listener, stallTimeout, Deadline.of(total), certDirs);
    }

    /** {@code --cert-dir DIR}: TLS files from DIR for every registry, instead of the certs.d folders. */
    public RegistrySettings withCertDir(Path dir) {
        return withCertDirs(CertDirs.only(dir));
    }

    /** Where TLS files are looked for (tests point the certs.d roots elsewhere). */
    public RegistrySettings withCertDirs(CertDirs dirs) {
        return new RegistrySettings(credentials, insecure, insecureRegistries, retry, parallelUploads, chunkSize,
                timeout, connectTimeout, blobCacheDir, listener, stallTimeout, deadline, dirs);
    }
}
