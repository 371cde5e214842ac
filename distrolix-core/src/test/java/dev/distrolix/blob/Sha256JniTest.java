package dev.distrolix.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * distrolix's JNI library for OpenSSL's SHA-256, as the build made it (target/native): it loads, passes its
 * known-answer self-test, and digests whatever it is given, in whatever pieces, as the JDK's SHA-256 does.
 */
class Sha256JniTest {
    static Path library() {
        return Fixtures.repo().resolve("distrolix-core/target/native/libdistrolix-crypto.so");
    }

    static MessageDigest jdk() throws Exception {
        return MessageDigest.getInstance("SHA-256", "SUN");
    }

    @Test
    void theBuildMadeTheLibraryAndItLoadsWithTheSystemsOpenSsl() {
        assertThat(library()).as("built by src/main/c/build.sh (gcc, libssl-dev)").isRegularFile();
        Sha256Jni sha = Sha256Jni.load(library());
        assertThat(sha.toString()).matches("SHA-256 \\(OpenSSL 3\\.[^,]*, libdistrolix-crypto\\.so\\)");
        assertThat(sha.getDigestLength()).isEqualTo(32);
        assertThat(sha.getAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    void anyDataInAnyPiecesHasTheJdksDigest() throws Exception {
        Random r = new Random(11);
        MessageDigest jni = Sha256Jni.load(library());
        for (int round = 0; round < 60; round++) {
            int size = round < 3 ? round : r.nextInt(round % 2 == 0 ? 300_000 : 200);
            byte[] data = new byte[size];
            r.nextBytes(data);
            int at = 0;
            for (int pieces = 1 + r.nextInt(9); pieces > 0 && at < size; pieces--) {
                int n = r.nextInt(size - at + 1);
                if (n == 1) {
                    jni.update(data[at]); // the one-byte path
                } else {
                    jni.update(data, at, n);
                }
                at += n;
            }
            jni.update(data, at, size - at);
            assertThat(jni.digest()).as("%d bytes", size).isEqualTo(jdk().digest(data));
            assertThat(jni.digest()).as("digest() starts again").isEqualTo(jdk().digest());
        }
    }

    @Test
    void aCloneGoesOnFromTheSameStateAndAResetStartsAgain() throws Exception {
        byte[] data = new byte[200_003];
        new Random(3).nextBytes(data);
        MessageDigest jni = Sha256Jni.load(library());
        jni.update(data, 0, 70_001);
        MessageDigest twin = (MessageDigest) jni.clone();
        jni.update(data, 70_001, data.length - 70_001);
        twin.update(data, 70_001, 5);
        assertThat(jni.digest()).isEqualTo(jdk().digest(data));
        MessageDigest firstPart = jdk();
        firstPart.update(data, 0, 70_006);
        assertThat(twin.digest()).isEqualTo(firstPart.digest());
        jni.update(data, 0, 1000);
        jni.reset();
        assertThat(jni.digest(data)).isEqualTo(jdk().digest(data));
    }

    @Test
    void piecesOutOfBoundsAreRefusedBeforeTheNativeCall() {
        Sha256Jni jni = Sha256Jni.load(library());
        byte[] data = new byte[100];
        // MessageDigest.update checks too; the engine's own check guards the native call whatever calls it
        assertThatThrownBy(() -> jni.engineUpdate(data, 90, 11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> jni.engineUpdate(data, -1, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> jni.engineUpdate(data, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        jni.engineUpdate(data, 100, 0);
        assertThat(jni.digest()).isEqualTo(Sha256Jni.load(library()).digest());
    }

    @Test
    void theSelfTestRefusesADigestThatIsNotSha256() throws Exception {
        assertThatThrownBy(() -> Sha256Jni.selfTest(MessageDigest.getInstance("SHA-512/256")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("SHA-256 self-test failed");
        Sha256Jni.selfTest(jdk()); // the JDK's passes: the known answers are SHA-256's
    }

    @Test
    void aMissingLibraryOrAFileThatIsNotOneIsRefusedSayingSo(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("libdistrolix-crypto.so");
        assertThatThrownBy(() -> Sha256Jni.load(missing)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(missing + " is not a file");
        Files.writeString(missing, "not a library\n");
        assertThatThrownBy(() -> Sha256Jni.load(missing)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(missing + " is not an ELF library");
    }
}
