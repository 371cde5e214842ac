package dev.distrolix.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records' key: made once, read again when its file is replaced, and a failure to have one is not kept. */
class RecordKeyTest {
    @TempDir
    Path tmp;

    @Test
    void aReplacedKeyFileIsReadAgain() throws Exception {
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
        assertThat(key.bytes()).isEqualTo(other);
    }

    @Test
    void noKeyIsNotKeptForever() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("config"), "a file where the folder should be");
        RecordKey key = RecordKey.in(blocker.resolve("scan-records.key"));
        assertThat(key.bytes()).isNull();
        Files.delete(blocker);
        assertThat(key.bytes()).hasSize(32);
    }
}
