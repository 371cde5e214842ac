package dev.distrolix.nix.substituter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.RecordKey;
import dev.distrolix.nix.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listings kept beside the layer cache: read back as written, and only for the same path, NarHash and key. */
class NarListingRecordsTest {
    @TempDir
    Path dir;

    static final StorePath JRE = StorePath.fromBaseName(StorePath.DEFAULT_STORE_DIR,
            "0pp1zj37l4iv85n27j52mr0l5h6h0yh8-openjdk-17.0.13+11-jre");
    static final StorePath OTHER = StorePath.fromBaseName(StorePath.DEFAULT_STORE_DIR,
            "hpsm6ivww4dhg7dshvhzjznd3bf0ng9p-zlib-1.2.13");

    static NarHash hash(int seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return NarHash.ofBytes(b);
    }

    static Map<String, SubstituterStoreSource.Node> listing() {
        Map<String, SubstituterStoreSource.Node> m = new TreeMap<>();
        m.put("", new SubstituterStoreSource.Node(true, null));
        m.put("bin", new SubstituterStoreSource.Node(true, null));
        m.put("bin/java", new SubstituterStoreSource.Node(false, null));
        m.put("lib/openjdk", new SubstituterStoreSource.Node(false, "../lib/jvm/java-17 é"));
        return m;
    }

    NarListingRecords records(String key) {
        return NarListingRecords.in(NarListingRecords.beside(dir.resolve("layers")), RecordKey.in(dir.resolve(key)));
    }

    @Test
    void aListingIsReadBackAsItWasWritten() {
        assertThat(records("key").read(JRE, hash(1))).as("none yet").isNull();
        records("key").write(JRE, hash(1), listing());
        assertThat(records("key").read(JRE, hash(1))).isEqualTo(listing());
        assertThat(NarListingRecords.beside(dir.resolve("layers"))).isEqualTo(dir.resolve("layers/listings"));
    }

    @Test
    void onlyTheSamePathNarHashAndKeyFindIt() throws IOException {
        records("key").write(JRE, hash(1), listing());
        assertThat(records("key").read(JRE, hash(2))).as("other contents pinned").isNull();
        assertThat(records("key").read(OTHER, hash(1))).as("another path").isNull();
        assertThat(records("other-key").read(JRE, hash(1))).as("written under another key").isNull();
        assertThat(NarListingRecords.none().read(JRE, hash(1))).isNull();
    }

    @Test
    void aRecordMovedToAnotherPathsNameOrDamagedIsNotBelieved() throws IOException {
        Path folder = NarListingRecords.beside(dir.resolve("layers"));
        records("key").write(JRE, hash(1), listing());
        List<Path> written = Files.list(folder).toList();
        assertThat(written).hasSize(1);
        records("key").write(OTHER, hash(1), Map.of("", new SubstituterStoreSource.Node(true, null)));
        Path other = Files.list(folder).filter(f -> !f.equals(written.get(0))).findFirst().orElseThrow();
        // the JRE's record under zlib's name: its MAC holds, the path inside it does not match
        Files.copy(written.get(0), other, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(records("key").read(OTHER, hash(1))).isNull();
        byte[] b = Files.readAllBytes(written.get(0));
        b[b.length / 2] ^= 1;
        Files.write(written.get(0), b);
        assertThat(records("key").read(JRE, hash(1))).isNull();
        // read again from the NAR and recorded anew: believed again
        records("key").write(JRE, hash(1), listing());
        assertThat(records("key").read(JRE, hash(1))).isEqualTo(listing());
    }

    @Test
    void aListingPastTheBoundIsOnlyNotKept() {
        Map<String, SubstituterStoreSource.Node> huge = new TreeMap<>();
        String name = "x".repeat(4000);
        for (int i = 0; huge.size() * 4000L <= NarListingRecords.MAX_BYTES; i++) {
            huge.put(name + i, new SubstituterStoreSource.Node(false, null));
        }
        records("key").write(JRE, hash(1), huge);
        assertThat(records("key").read(JRE, hash(1))).isNull();
        assertThat(NarListingRecords.beside(dir.resolve("layers"))).doesNotExist();
    }
}
