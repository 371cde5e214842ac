package dev.distrolix.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where credentials come from, in podman's and Docker's order; helper programs are covered by the CLI tests. */
class CredentialStoreTest {
    @TempDir
    Path home;

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes());
    }

    @Test
    void dockerConfigKeysMatchWithoutSchemeAndPath() throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:pw") + "\"},"
                + "\"http://reg.example.com:5000\":{\"username\":\"u\",\"password\":\"p:w\"},"
                + "\"idp.example.com\":{\"identitytoken\":\"refresh-me\"}}}");
        CredentialStore s = CredentialStore.of(Map.of(), home);
        assertThat(s.lookup("docker.io")).get().extracting(Credentials::username, Credentials::secret)
                .containsExactly("hub", "pw");
        assertThat(s.lookup("reg.example.com:5000")).get().extracting(Credentials::secret).isEqualTo("p:w");
        assertThat(s.lookup("idp.example.com")).get().extracting(Credentials::identityToken).isEqualTo(true);
        assertThat(s.lookup("other.example.com")).isEmpty();
        assertThat(s.lookup("docker.io").get().source()).isEqualTo(home.resolve(".docker/config.json").toString());
    }

    @Test
    void explicitThenEnvironmentThenAuthJsonThenDockerConfig() throws Exception {
        Path auth = home.resolve("auth.json");
        Files.writeString(auth, "{\"auths\":{\"r.io\":{\"auth\":\"" + b64("podman:1") + "\"}}}");
        Path docker = Files.createDirectories(home.resolve("d"));
        Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"r.io\":{\"auth\":\"" + b64("docker:2") + "\"},"
                + "\"only-docker.io\":{\"auth\":\"" + b64("docker:3") + "\"}}}");
        Map<String, String> env = Map.of("REGISTRY_AUTH_FILE", auth.toString(), "DOCKER_CONFIG", docker.toString());
        CredentialStore s = CredentialStore.of(env, home);
        assertThat(s.lookup("r.io").get().username()).isEqualTo("podman");
        assertThat(s.lookup("only-docker.io").get().username()).isEqualTo("docker");
        assertThat(s.searched()).containsExactly(auth.toString(), docker.resolve("config.json").toString());

        CredentialStore withEnv = CredentialStore.of(Map.of("DISTROLIX_REGISTRY_USER", "ci",
                "DISTROLIX_REGISTRY_PASSWORD", "t0k"), home);
        assertThat(withEnv.lookup("r.io").get().describe()).isEqualTo("'ci' from DISTROLIX_REGISTRY_USER");
        assertThat(withEnv.withExplicit(Credentials.parse("me:x:y", "--creds")).lookup("r.io").get().secret())
                .isEqualTo("x:y");
    }

    @Test
    void brokenSourcesAreClearErrors() throws Exception {
        assertThatThrownBy(() -> CredentialStore.of(Map.of("DISTROLIX_REGISTRY_USER", "u"), home))
                .isInstanceOf(dev.distrolix.InputException.class)
                .hasMessage("DISTROLIX_REGISTRY_USER is set but DISTROLIX_REGISTRY_PASSWORD is not");
        assertThatThrownBy(() -> Credentials.parse("nopassword", "--creds")).isInstanceOf(dev.distrolix.InputException.class)
                .hasMessage("--creds must be USER:PASSWORD");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{not json");
        assertThatThrownBy(() -> CredentialStore.of(Map.of(), home).lookup("r.io"))
                .hasMessageStartingWith("cannot read credentials file " + home.resolve(".docker/config.json"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"credHelpers\":{\"r.io\":\"absent\"}}");
        assertThatThrownBy(() -> CredentialStore.of(Map.of("PATH", home.toString()), home).lookup("r.io"))
                .hasMessageContaining("credential helper docker-credential-absent")
                .hasMessageContaining("is not on PATH");
    }

    @Test
    void credsStoreIsTheDefaultHelperAndNotFoundIsNoCredentials() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path helper = bin.resolve("docker-credential-store");
        Files.writeString(helper, "#!/bin/sh\nread -r s\n[ \"$s\" = https://index.docker.io/v1/ ] && "
                + "echo '{\"Username\":\"<token>\",\"Secret\":\"id-tok\"}' && exit 0\n"
                + "echo 'credentials not found in native keychain'; exit 1\n");
        Files.setPosixFilePermissions(helper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"r.io\":{}},\"credsStore\":\"store\"}");
        CredentialStore s = CredentialStore.of(Map.of("PATH", bin.toString()), home);
        Credentials hub = s.lookup("docker.io").orElseThrow();
        assertThat(hub.identityToken()).isTrue();
        assertThat(hub.secret()).isEqualTo("id-tok");
        assertThat(hub.source()).startsWith("docker-credential-store (");
        assertThat(s.lookup("r.io")).isEmpty();
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        Credentials c = Credentials.basic("alice", "s3cret", "--creds");
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.basicAuthorization()).isEqualTo("Basic " + b64("alice:s3cret"));
    }
}
