package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real signed binary caches of the nginx fixture's closure, made once per test JVM and shared by the classes
 * that build from them: {@code nix copy --to file://…?compression=xz|zstd|bzip2}, then {@code nix store sign
 * --store} on each cache (never the local store), checked by {@code nix store verify}, served by a real nginx
 * (the fixture's own, Debian's nginx 1.22.1 relinked) on 127.0.0.1. Also the local-store build's digest of the
 * nginx example, which every build from a cache must give.
 */
final class SignedCache {
    static final String X = "--extra-experimental-features";
    static final String NIX_COMMAND = "nix-command";
    static final Map<String, String> NIX_ENV = Map.of("NIX_CONFIG", "substituters =");

    private static SignedCache instance;

    final Path tmp;
    final Path caches;
    final String publicKey;
    final String otherSecretKey;
    final String nginxPath;
    final int port;
    final String localDigest;
    private final Process nginx;
    private final Path secretKey;
    private boolean bothPlatforms;

    /** The caches, made and served on first use; nginx stops with the JVM. */
    static synchronized SignedCache get() throws Exception {
        if (instance == null) {
            instance = new SignedCache(Files.createTempDirectory("distrolix-signed-cache"));
        }
        return instance;
    }

    private SignedCache(Path tmp) throws Exception {
        this.tmp = tmp;
        caches = Files.createDirectories(tmp.resolve("caches"));
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        nix(keys, "nix-store", "--generate-binary-cache-key", "test-cache-1", "sk", "pk");
        nix(keys, "nix-store", "--generate-binary-cache-key", "other-key", "sk2", "pk2");
        publicKey = Files.readString(keys.resolve("pk")).strip();
        secretKey = keys.resolve("sk");
        otherSecretKey = keys.resolve("sk2").toString();
        nginxPath = Fixtures.storePath("nginx");
        for (String c : List.of("xz", "zstd", "bzip2")) {
            Path dir = caches.resolve(c);
            nix(tmp, "nix", X, NIX_COMMAND, "copy", "--to", "file://" + dir + "?compression=" + c, nginxPath);
            nix(tmp, "nix", X, NIX_COMMAND, "store", "sign", "--store", "file://" + dir, "--key-file",
                    keys.resolve("sk").toString(), "-r", nginxPath);
        }
        // Nix's own check of one cache, so that a broken cache is never blamed on distrolix
        nix(tmp, "nix", X, NIX_COMMAND, "store", "verify", "--store", "file://" + caches.resolve("zstd"), "-r",
                nginxPath, "--trusted-public-keys", publicKey);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        nginx = startNginx();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nginx.destroy();
            Fixtures.run("rm", "-rf", tmp.toString());
        }));
        Path spec = specCopy("local");
        Cli local = CliProcess.run(NIX_ENV, tmp, "build", spec.toString(), "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--no-cache", "-o", "oci:" + tmp.resolve("local-out"), "-q");
        assertThat(local.exitCode()).as(local.err()).isZero();
        localDigest = local.out().strip();
        assertThat(localDigest).startsWith("sha256:");
    }

    private Process startNginx() throws Exception {
        Path w = Files.createDirectories(tmp.resolve("nginx"));
        String conf = "daemon off; master_process off; pid " + w + "/nginx.pid; error_log stderr;\n"
                + "events {}\nhttp {\n"
                + "  client_body_temp_path " + w + "/b; proxy_temp_path " + w + "/p; fastcgi_temp_path " + w + "/f;\n"
                + "  uwsgi_temp_path " + w + "/u; scgi_temp_path " + w + "/s; access_log " + w + "/access.log;\n"
                + "  types { text/x-nix-narinfo narinfo; } default_type application/octet-stream;\n"
                + "  server { listen 127.0.0.1:" + port + "; root " + caches + "; }\n}\n";
        Files.writeString(w.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(nginxPath + "/bin/nginx", "-e", "stderr", "-p", w.toString(), "-c",
                w.resolve("nginx.conf").toString()).redirectErrorStream(true).redirectOutput(w.resolve("log").toFile())
                .start();
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; ; i++) {
            try {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url("zstd") + "/nix-cache-info")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("StoreDir: /nix/store")) {
                    return p;
                }
            } catch (IOException notYet) {
                // polled below
            }
            if (i > 100 || !p.isAlive()) {
                throw new AssertionError("nginx does not serve the cache: " + Files.readString(w.resolve("log")));
            }
            Thread.sleep(100);
        }
    }

    /**
     * The name of a cache (zstd) holding the nginx closures of both fixture platforms, x86-64 and aarch64, signed
     * by the test key; made on first use.
     */
    synchronized String bothPlatforms() {
        if (!bothPlatforms) {
            String dir = "file://" + caches.resolve("both") + "?compression=zstd";
            String arm64 = Fixtures.storePath("nginx-arm64");
            nix(tmp, "nix", X, NIX_COMMAND, "copy", "--to", dir, nginxPath, arm64);
            nix(tmp, "nix", X, NIX_COMMAND, "store", "sign", "--store", "file://" + caches.resolve("both"), "--key-file",
                    secretKey.toString(), "-r", nginxPath, arm64);
            bothPlatforms = true;
        }
        return "both";
    }

    /** The paths of the GET requests nginx has answered under {@code cache}, in order (one line per request). */
    List<String> requests(String cache) throws IOException {
        String prefix = "\"GET /" + cache + "/";
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("nginx/access.log"))) {
            int at = line.indexOf(prefix);
            if (at >= 0) {
                out.add(line.substring(at + 5, line.indexOf(' ', at + 5)));
            }
        }
        return out;
    }

    /** The URL nginx serves {@code cache} (a folder under {@link #caches}) at. */
    String url(String cache) {
        return "http://127.0.0.1:" + port + "/" + cache;
    }

    /** The nginx example spec, in a folder of its own. */
    Path specCopy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("spec-" + name));
        Path src = Fixtures.repo().resolve("examples/nginx");
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir.resolve("image.yaml");
    }

    /** {@code distrolix lock SPEC} against {@code cache}, trusting the test key. */
    Cli lock(Path spec, String cache) {
        return CliProcess.run(NIX_ENV, tmp, "lock", spec.toString(), "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--substituter", url(cache), "--trusted-public-key", publicKey);
    }

    /**
     * The CLI in a fresh JVM with no /nix (an empty tmpfs) and every nix program replaced by /bin/false, in a
     * mount namespace of its own.
     */
    Cli withoutNix(String... args) {
        return inNamespace("mount -t tmpfs -o size=1m,mode=0755 none /nix && ", "test ! -e /nix/store || exit 97; ",
                args);
    }

    /** The same with the store still there: only Nix's programs are missing (they run /bin/false). */
    Cli withoutNixPrograms(String... args) {
        return inNamespace("", "test -d /nix/store || exit 97; ", args);
    }

    private Cli inNamespace(String mountStore, String checkStore, String... args) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--", "bash", "-c",
                mountStore
                        // nor is Nix's database read directly (its schema hidden, so not known), which would answer
                        // what only a closure record may answer here; the database's files stay as they are, for the
                        // records compare them
                        + "[ -f /nix/var/nix/db/schema ] && mount --bind /dev/null /nix/var/nix/db/schema;"
                        + " for f in /usr/bin/nix /usr/bin/nix-* /usr/libexec/nix/*; do"
                        + " [ -e \"$f\" ] && mount --bind /bin/false \"$f\"; done;"
                        + " " + checkStore + "! nix-store --version >/dev/null 2>&1 || exit 98;"
                        + " exec \"$@\"",
                "nonix", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Distrolix.class.getName()));
        cmd.addAll(List.of(args));
        Fixtures.Exit e = Fixtures.exec(new ProcessBuilder(cmd).directory(tmp.toFile()));
        assertThat(e.code()).as("the no-Nix namespace works: " + e.err()).isNotIn(97, 98);
        return new Cli(e.code(), e.out(), e.err());
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    static void nix(Path dir, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(NIX_ENV);
        Fixtures.Exit e = Fixtures.exec(pb);
        if (e.code() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + e.code() + ": " + e.err());
        }
    }
}
