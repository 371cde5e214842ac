package dev.distrolix.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a Docker credential helper ({@code docker-credential-<name> get}, server URL on stdin,
 * {@code {"ServerURL","Username","Secret"}} on stdout). The program is looked up on the PATH
 * of the environment the store was made with, so tests (and embedders) control it.
 */
final class CredentialHelper {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final long TIMEOUT_SECONDS = 60;

    private CredentialHelper() {}

    /** Empty when the helper has no credentials for that server ("credentials not found"). */
    static Optional<Credentials> get(String name, String serverUrl, Map<String, String> env, String configFile)
            throws IOException {
        String program = "docker-credential-" + name;
        if (!NAME.matcher(name).matches()) {
            throw new IOException("invalid credential helper name '" + name + "' in " + configFile);
        }
        Path exe = find(program, env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        if (exe == null) {
            throw new IOException("credential helper " + program + " (named in " + configFile
                    + ") is not on PATH");
        }
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), "get");
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the helper may exit without reading; its exit code tells
        }
        int exit;
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(program + " get did not answer within " + TIMEOUT_SECONDS + " s");
            }
            exit = p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + program);
        }
        String stdout = new String(out.join(), StandardCharsets.UTF_8).strip();
        String stderr = new String(err.join(), StandardCharsets.UTF_8).strip();
        if (exit != 0) {
            if ((stdout + stderr).toLowerCase().contains("credentials not found")) {
                return Optional.empty();
            }
            String why = stderr.isEmpty() ? stdout : stderr;
            throw new IOException(program + " get failed (exit " + exit + ")"
                    + (why.isEmpty() ? "" : ": " + why.replaceAll("\\s*\\R\\s*", "; ")));
        }
        JsonNode n;
        try {
            n = dev.distrolix.json.JsonTrees.read(stdout);
        } catch (IOException e) {
            throw new IOException(program + " get printed no JSON credentials", e);
        }
        String user = n.path("Username").asText("");
        String secret = n.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String source = program + " (" + configFile + ")";
        return Optional.of(user.equals("<token>") ? new Credentials(user, secret, true, source)
                : Credentials.basic(user, secret, source));
    }

    static Path find(String program, String path) {
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** On its own thread (not the common pool, which has one thread on two cores) so neither pipe blocks the helper. */
    private static CompletableFuture<byte[]> drain(java.io.InputStream s) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (s) {
                s.transferTo(buf);
            } catch (IOException ignored) {
                // what we have is what it said
            }
            f.complete(buf.toByteArray());
        }, "credential-helper-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
