package dev.distrolix.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records' MAC; the key: made once, read again after {@code forget} (a resident JVM's run), a failure too. */
class RecordKeyTest {
    @TempDir
    Path tmp;

    @Test
    void theMacIsHmacSha256AsTheJdkComputesIt() throws Exception {
        Random random = new Random(20261205);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[random.nextInt(3) == 0 ? 100 : 32]; // longer than a block: hashed first
            byte[] body = new byte[random.nextInt(3000)];
            random.nextBytes(key);
            random.nextBytes(body);
            int len = body.length == 0 ? 0 : random.nextInt(body.length + 1);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            jdk.update(body, 0, len);
            assertThat(RecordKey.mac(key, body, len)).isEqualTo(jdk.doFinal());
        }
    }

    @Test
    void rfc4231TestCase2() {
        byte[] mac = RecordKey.mac("Jefe".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 28);
        assertThat(HexFormat.of().formatHex(mac))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void aSealedRecordIsBelievedOnlyUnderItsKeyAndUndamaged() {
        byte[] key = new byte[32];
        byte[] other = new byte[32];
        other[0] = 1;
        byte[] record = RecordKey.seal(key, "body".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(RecordKey.bodyLength(key, record)).isEqualTo(4);
        assertThat(RecordKey.bodyLength(other, record)).isEqualTo(-1);
        record[1] ^= 1;
        assertThat(RecordKey.bodyLength(key, record)).isEqualTo(-1);
    }

    @Test
    void aReplacedKeyFileIsReadAgainAfterForget() throws Exception {
        Path file = tmp.resolve("config/scan-records.key");
        RecordKey key = RecordKey.in(file);
        byte[] made = key.bytes();
        assertThat(made).hasSize(32);
        assertThat(Files.readAllBytes(file)).isEqualTo(made);
        assertThat(key.bytes()).isSameAs(made); // not read again while the file is the same
        // replaced (a restored config folder): as a process that outlives its runs must see it
        byte[] other = new byte[32];
        java.util.Arrays.fill(other, (byte) 7);
        Path fresh = tmp.resolve("fresh");
        Files.write(fresh, other);
        Files.move(fresh, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        key.forget(); // a run of the resident JVM starts
        assertThat(key.bytes()).isEqualTo(other);
    }

    @Test
    void noKeyIsNotKeptPastForget() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("config"), "a file where the folder should be");
        RecordKey key = RecordKey.in(blocker.resolve("scan-records.key"));
        assertThat(key.bytes()).isNull();
        Files.delete(blocker);
        key.forget();
        assertThat(key.bytes()).hasSize(32);
    }
}
