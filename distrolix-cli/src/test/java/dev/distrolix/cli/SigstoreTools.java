package dev.distrolix.cli;

import dev.distrolix.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian 13's skopeo 1.18 and podman 5.4, fetched by testing/trixie-tools.sh: Debian 12's are
 * built without sigstore and can neither sign nor verify cosign-style signatures. Missing tools
 * fail the test (CI must fetch them), they never skip it. podman always runs on the sandbox's own
 * storage, so the system podman's state is never touched.
 */
final class SigstoreTools {
    private static final long TIMEOUT_SECONDS = 120;
    private final Path dir;

    private SigstoreTools(Path dir) {
        this.dir = dir;
    }

    /** What testing/trixie-tools.sh fetched; throws IllegalStateException when it has not been run. */
    static SigstoreTools locate() {
        Path dir = defaultDir();
        for (String tool : List.of("skopeo", "podman")) {
            if (!Files.isExecutable(dir.resolve("bin").resolve(tool))) {
                throw new IllegalStateException("Debian 13 " + tool + " is missing in " + dir
                        + ": run testing/trixie-tools.sh (DISTROLIX_TRIXIE_TOOLS chooses the folder)");
            }
        }
        return new SigstoreTools(dir);
    }

    /** $DISTROLIX_TRIXIE_TOOLS, else ${XDG_CACHE_HOME:-$HOME/.cache}/distrolix/trixie-tools, as the script. */
    static Path defaultDir() {
        String env = System.getenv("DISTROLIX_TRIXIE_TOOLS");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty()
                ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("distrolix/trixie-tools");
    }

    Path skopeo() {
        return dir.resolve("bin/skopeo");
    }

    Path podman() {
        return dir.resolve("bin/podman");
    }

    /**
     * A scratch verification setup for the registry at 127.0.0.1:port: {@code policy} requires a
     * sigstore signature by {@code publicKey} (signedIdentity matchRepository) for that registry and
     * rejects everything else; {@code acceptPolicy} accepts anything (to push and sign);
     * {@code registriesD} turns on sigstore attachments for that registry, and {@code home} holds a
     * copy as .config/containers/registries.d (podman has no registries.d option);
     * {@code storage} is podman's root, runroot and tmpdir.
     */
    record Sandbox(String registry, Path policy, Path acceptPolicy, Path registriesD, Path home, Path storage) {}

    Sandbox sandbox(Path dir, int registryPort, Path publicKey) {
        String registry = "127.0.0.1:" + registryPort;
        String keyData = Base64.getEncoder().encodeToString(read(publicKey));
        String yaml = "docker:\n  " + registry + ":\n    use-sigstore-attachments: true\n";
        Sandbox s = new Sandbox(registry, dir.resolve("policy.json"), dir.resolve("accept.json"),
                dir.resolve("registries.d"), dir.resolve("home"), dir.resolve("podman"));
        write(s.policy(), "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"" + registry
                + "\":[{\"type\":\"sigstoreSigned\",\"keyData\":\"" + keyData
                + "\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}}}\n");
        write(s.acceptPolicy(), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
        write(s.registriesD().resolve("distrolix-test.yaml"), yaml);
        write(s.home().resolve(".config/containers/registries.d/distrolix-test.yaml"), yaml);
        return s;
    }

    /** skopeo generate-sigstore-key: PREFIX.private (encrypted with the password file's content), PREFIX.pub. */
    Fixtures.Exit generateKey(Path prefix, Path passwordFile) {
        return run(Map.of(), skopeo().toString(), "generate-sigstore-key",
                "--output-prefix", prefix.toString(), "--passphrase-file", passwordFile.toString());
    }

    /**
     * Copies SRC to DST (transport:reference, e.g. docker://127.0.0.1:5000/a:1 or oci:DIR:TAG) and
     * signs DST with a cosign-style key, dropping signatures the source already has.
     */
    Fixtures.Exit skopeoSign(Sandbox s, String src, String dst, Path keyFile, Path passwordFile) {
        return run(Map.of(), skopeo().toString(), "--policy", s.acceptPolicy().toString(),
                "--registries.d", s.registriesD().toString(), "copy", "--src-tls-verify=false",
                "--dest-tls-verify=false", "--remove-signatures", "--sign-by-sigstore-private-key", keyFile.toString(),
                "--sign-passphrase-file", passwordFile.toString(), docker(src), docker(dst));
    }

    /** skopeo copy IMAGE (HOST:PORT/REPO:TAG or docker://…) to dir:OUT under the sandbox's policy; 0 = verified. */
    Fixtures.Exit skopeoVerifyCopy(Sandbox s, String image, Path out) {
        return run(Map.of(), skopeo().toString(), "--policy", s.policy().toString(),
                "--registries.d", s.registriesD().toString(), "copy", "--src-tls-verify=false",
                docker(image), "dir:" + out);
    }

    /** podman pull IMAGE (HOST:PORT/REPO:TAG) under the sandbox's policy: exit 0 = verified and pulled. */
    Fixtures.Exit podmanPull(Sandbox s, String image) {
        return podman(s, "pull", "--tls-verify=false", "--signature-policy", s.policy().toString(), image);
    }

    /** Any podman command on the sandbox's own storage, with HOME set to the sandbox's home. */
    Fixtures.Exit podman(Sandbox s, String... args) {
        List<String> cmd = new ArrayList<>(podmanCommand(s));
        cmd.addAll(List.of(args));
        return run(Map.of("HOME", s.home().toString(), "XDG_CONFIG_HOME", s.home().resolve(".config").toString(),
                "PODMAN_IGNORE_CGROUPSV1_WARNING", "1"), cmd.toArray(String[]::new));
    }

    /** podman with the isolating global options (run it with HOME = the sandbox's home for registries.d). */
    List<String> podmanCommand(Sandbox s) {
        Path d = s.storage();
        return List.of(podman().toString(), "--root", d.resolve("root").toString(), "--runroot",
                d.resolve("run").toString(), "--tmpdir", d.resolve("tmp").toString(), "--storage-driver", "vfs",
                "--events-backend", "file", "--cgroup-manager", "cgroupfs");
    }

    private static String docker(String image) {
        for (String transport : List.of("docker://", "oci:", "oci-archive:", "docker-archive:", "dir:")) {
            if (image.startsWith(transport)) {
                return image;
            }
        }
        return "docker://" + image;
    }

    /** Runs with stdin closed, output to scratch files (no pipe can block); kills it after the timeout. */
    private static Fixtures.Exit run(Map<String, String> env, String... cmd) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("sigstore-tools", ".out");
            err = Files.createTempFile("sigstore-tools", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Fixtures.Exit(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            for (Path f : new Path[] {out, err}) {
                try {
                    if (f != null) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path f, String text) {
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
