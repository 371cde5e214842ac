package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RealToolsCheck;
import dev.distrolix.testing.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing to a registry with htpasswd Basic auth, with credentials from each place users keep
 * them: docker's config.json, podman's auth.json, a credential helper program, the environment.
 * Each run is a fresh JVM with its own environment and an empty home.
 */
@IntegrationTest
class RegistryCredentialsCliTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;
    static String layout;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).htpasswd("alice", "wonderland").start();
        layout = NginxLayout.reference();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    /** An environment with nothing of the user's: an empty home, no auth files. */
    Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("home/.config").toString());
        env.put("DOCKER_CONFIG", tmp.resolve("home/.docker").toString());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    Cli pushTo(Map<String, String> env, String repo, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "copy";
        args[1] = layout;
        args[2] = "docker://" + registry.address() + "/" + repo + ":1";
        args[3] = "--insecure";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliProcess.run(env, tmp, args);
    }

    static String auths(String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    void assertPushed(Cli r, String repo) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("to       docker://" + registry.address() + "/" + repo + ":1");
        RealToolsCheck.skopeoCopyVerifiesWithCreds(registry.address() + "/" + repo + ":1", "alice:wonderland",
                tmp.resolve("check"));
    }

    @Test
    void credentialsFromDockerConfigJson() throws Exception {
        Map<String, String> env = env();
        Files.createDirectories(Path.of(env.get("DOCKER_CONFIG")));
        Files.writeString(Path.of(env.get("DOCKER_CONFIG"), "config.json"), auths("alice", "wonderland"));
        assertPushed(pushTo(env, "from-config"), "from-config");
    }

    @Test
    void credentialsFromPodmanAuthJson() throws Exception {
        Map<String, String> env = env();
        Path authFile = tmp.resolve("auth.json");
        Files.writeString(authFile, auths("alice", "wonderland"));
        env.put("REGISTRY_AUTH_FILE", authFile.toString());
        assertPushed(pushTo(env, "from-auth-json"), "from-auth-json");
    }

    @Test
    void credentialsFromACredentialHelperProgram() throws Exception {
        Map<String, String> env = env();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("helper-calls");
        Path helper = bin.resolve("docker-credential-test");
        Files.writeString(helper, "#!/bin/sh\n"
                + "read -r server\n"
                + "echo \"$1 $server\" >> '" + calls + "'\n"
                + "if [ \"$1\" = get ] && [ \"$server\" = '" + registry.address() + "' ]; then\n"
                + "  printf '{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"wonderland\"}' \"$server\"\n"
                + "else\n"
                + "  echo 'credentials not found in native keychain'; exit 1\n"
                + "fi\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        env.put("PATH", bin + ":" + env.get("PATH"));
        Files.createDirectories(Path.of(env.get("DOCKER_CONFIG")));
        Files.writeString(Path.of(env.get("DOCKER_CONFIG"), "config.json"),
                "{\"auths\":{},\"credHelpers\":{\"" + registry.address() + "\":\"test\"}}");
        assertPushed(pushTo(env, "from-helper"), "from-helper");
        assertThat(Files.readString(calls)).startsWith("get " + registry.address() + "\n");
    }

    @Test
    void credentialsFromTheEnvironment() throws Exception {
        Map<String, String> env = env();
        env.put("DISTROLIX_REGISTRY_USER", "alice");
        env.put("DISTROLIX_REGISTRY_PASSWORD", "wonderland");
        assertPushed(pushTo(env, "from-env"), "from-env");
    }

    @Test
    void aWrongPasswordIsOneUnauthorizedLine() throws Exception {
        Cli r = pushTo(env(), "wrong", "--creds", "alice:not-the-password");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("distrolix: " + registry.address() + ": ")
                .contains("HTTP 401 UNAUTHORIZED")
                .contains("unauthorized: the registry rejected the credentials of 'alice' from --creds")
                .doesNotContain("not-the-password");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void credentialsStayOffPlainHttpWithoutInsecure() throws Exception {
        Cli r = CliProcess.run(env(), tmp, "copy", layout, "docker://" + registry.address() + "/plain:1",
                "--creds", "alice:wonderland");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("distrolix: " + registry.address() + ": authenticating: 127.0.0.1 asks "
                + "for credentials over plain HTTP; refusing to send 'alice' from --creds unencrypted "
                + "(pass --insecure to allow it for this registry)");
    }
}
