package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.blob.RecordKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec document's parse kept for the next build of the same bytes: the same tree, every location, bounded. */
class SpecTreeRecordsTest {
    static final String SPEC = """
            name: web
            vars: { port: 8080, ratio: 1.10, on: true, off: false, none: null, mode: 0755 }
            defaults: &d { owner: nginx, group: nginx }
            packages:
              - nginx
              - "ünïcode ✓"
            paths:
              - { <<: *d, path: /var/log/nginx, type: directory }
              - { path: /etc/motd, content: "%s" }
            """;

    @TempDir
    Path dir;
    Path spec;
    SpecTreeRecords records;

    @BeforeEach
    void spec() throws IOException {
        spec = Files.writeString(dir.resolve("image.yaml"), SPEC.formatted("x".repeat(70_000))); // past writeUTF's 64 kB
        records = SpecTreeRecords.in(dir.resolve("specs"), RecordKey.in(dir.resolve("key")));
    }

    private List<Path> recordFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("specs"))) {
            return s.toList();
        }
    }

    /** The tree with its map keys in file order (a map's equality ignores the order). */
    private static String shape(SpecNode node) {
        if (node instanceof SpecNode.MapNode m) {
            StringBuilder b = new StringBuilder("{" + m.location());
            m.entries().values().forEach(e -> b.append(e.key()).append('@').append(e.keyLocation()).append('=')
                    .append(shape(e.value())).append(','));
            return b.append('}').toString();
        }
        if (node instanceof SpecNode.ListNode l) {
            return "[" + l.location() + l.items().stream().map(SpecTreeRecordsTest::shape).toList() + "]";
        }
        return node.toString();
    }

    @Test
    void theNextReadOfTheSameBytesTakesTheRecordedTreeWithEveryLocation() throws IOException {
        SpecNode parsed = SpecTreeReader.read(spec);
        SpecNode first = SpecTreeReader.read(spec, records);
        assertThat(recordFiles()).hasSize(1);
        Path record = recordFiles().get(0);
        long written = Files.getLastModifiedTime(record).toMillis();
        Path other = Files.copy(spec, dir.resolve("other.yaml"));
        SpecNode fromRecord = SpecTreeReader.read(other, records);
        assertThat(shape(first)).isEqualTo(shape(parsed));
        assertThat(fromRecord).isEqualTo(SpecTreeReader.read(other)).isNotEqualTo(parsed); // located in other.yaml
        assertThat(shape(fromRecord)).isEqualTo(shape(SpecTreeReader.read(other)));
        assertThat(Files.getLastModifiedTime(record).toMillis()).as("taken, not written again").isEqualTo(written);
        assertThat(recordFiles()).hasSize(1);
    }

    @Test
    void aRecordIsTakenRatherThanTheParse() throws IOException {
        SpecTreeReader.read(spec, records);
        // the record of these bytes made to hold another document's tree (as only this key could)
        byte[] key = RecordKey.in(dir.resolve("key")).bytes();
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.yaml"), "name: another\n");
        Files.write(recordFiles().get(0), SpecTreeRecords.encode(key, SpecTreeReader.read(elsewhere)));
        assertThat(shape(SpecTreeReader.read(spec, records))).contains("another").doesNotContain("nginx");
    }

    @Test
    void aRecordDamagedOrUnderAnotherKeyIsParsedAgainAndMadeAnew() throws IOException {
        SpecNode parsed = SpecTreeReader.read(spec, records);
        Path record = recordFiles().get(0);
        byte[] good = Files.readAllBytes(record);
        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 1;
        Files.write(record, damaged);
        assertThat(shape(SpecTreeReader.read(spec, records))).isEqualTo(shape(parsed));
        assertThat(Files.readAllBytes(record)).isEqualTo(good);

        SpecTreeRecords otherKey = SpecTreeRecords.in(dir.resolve("specs"), RecordKey.in(dir.resolve("other-key")));
        assertThat(shape(SpecTreeReader.read(spec, otherKey))).isEqualTo(shape(parsed));
    }

    @Test
    void aBadDocumentIsReportedAsWithoutRecordsAndNothingIsKept() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: web\nname: twice\n");
        assertThatThrownBy(() -> SpecTreeReader.read(bad, records)).isInstanceOf(SpecException.class)
                .hasMessage(catchMessage(() -> SpecTreeReader.read(bad)));
        assertThat(dir.resolve("specs")).doesNotExist();
    }

    @Test
    void anErrorFoundInARecordedTreeNamesTheSameLineAndColumn() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.yaml"), "name: web\npackages:\n  - nginx\n  - { nope: 1 }\n");
        SpecTreeRecords fresh = SpecTreeRecords.in(dir.resolve("specs"), RecordKey.in(dir.resolve("key")));
        String parsed = catchMessage(() -> SpecLoader.load(wrong, null));
        assertThat(catchMessage(() -> SpecLoader.load(wrong, null, fresh))).isEqualTo(parsed); // parsed, recorded
        assertThat(recordFiles()).hasSize(1);
        assertThat(catchMessage(() -> SpecLoader.load(wrong, null, fresh))).isEqualTo(parsed).contains("wrong.yaml:4:");
    }

    @Test
    void aDocumentPastTheBoundsIsParsedButNotKept() throws IOException {
        // aliases share nodes in the parse and are written out once per use: 2^12 leaves from a dozen lines
        StringBuilder yaml = new StringBuilder("name: web\nl0: &l0 [a, b]\n");
        for (int i = 1; i <= 16; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }
        Path bomb = Files.writeString(dir.resolve("bomb.yaml"), yaml);
        SpecNode tree = SpecTreeReader.read(bomb, records);
        assertThat(tree).isInstanceOf(SpecNode.MapNode.class);
        assertThat(dir.resolve("specs")).as("past %d nodes", SpecTreeRecords.MAX_NODES).doesNotExist();
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }
}
