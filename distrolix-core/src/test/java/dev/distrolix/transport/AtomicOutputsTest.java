package dev.distrolix.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.image.AssembledImage;
import dev.distrolix.registry.RegistrySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are replaced whole or not at all, by one writer at a time, and leave no temp files. */
class AtomicOutputsTest {
    /** No process has this id: Linux pids stop at 2^22. */
    static final long GONE = 2_000_000_000L;

    @TempDir
    Path tmp;

    private static WriteResult write(AssembledImage img, Path dir, String tag) throws Exception {
        return Transports.write(img, ImageReference.parse("oci:" + dir + ":" + tag).withDefaults("distrolix/test", "latest"),
                RegistrySettings.defaults());
    }

    private static Set<String> tags(Path layout) throws Exception {
        Set<String> tags = new TreeSet<>();
        for (JsonNode m : new ObjectMapper().readTree(layout.resolve("index.json").toFile()).get("manifests")) {
            tags.add(m.path("annotations").path(LayoutContent.REF_NAME).asText());
        }
        return tags;
    }

    @Test
    void thirtySixConcurrentWritersOfANewLayoutLoseNoTag() throws Exception {
        int writers = 36;
        List<AssembledImage> images = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            images.add(Fixtures.image(tmp.resolve("layers-" + i), "v" + (i % 6))); // shared blobs too
        }
        for (int round = 0; round < 3; round++) {
            Path layout = tmp.resolve("round-" + round + "/layout");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<WriteResult>> done = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    int n = i;
                    done.add(pool.submit(() -> {
                        start.await();
                        return write(images.get(n), layout, "t" + n);
                    }));
                }
                start.countDown();
                for (Future<WriteResult> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < writers; i++) {
                expected.add("t" + i);
            }
            assertThat(tags(layout)).as("round %d", round).isEqualTo(expected);
            assertThat(leftovers(layout)).isEmpty();
            // every tag resolves to its own image, every blob is there
            for (int i = 0; i < writers; i++) {
                try (OpenedImage o = Transports.open("oci:" + layout + ":t" + i, RegistrySettings.defaults())) {
                    assertThat(o.image(null).manifestDigest()).isEqualTo(images.get(i).manifestDigest());
                }
            }
        }
    }

    @Test
    void whatAKilledWriteLeftIsSweptAndTheNextWriteSucceeds() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        Path layout = tmp.resolve("layout");
        // a write SIGKILLed after oci-layout and one blob: the lock file, complete files, temp files
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve(LayoutLock.FILE), "");
        Files.writeString(layout.resolve(".index.json.tmp-" + GONE + "-123"), "{\"half");
        Files.writeString(layout.resolve("blobs/sha256/.abc.tmp-" + GONE + "-77"), "partial");
        Path live = Files.writeString(layout.resolve("blobs/sha256/.def.tmp-" + ProcessHandle.current().pid() + "-1"), "x");
        write(a, layout, "one");
        assertThat(tags(layout)).containsExactly("one");
        assertThat(layout.resolve(".index.json.tmp-" + GONE + "-123")).doesNotExist();
        assertThat(layout.resolve("blobs/sha256/.abc.tmp-" + GONE + "-77")).doesNotExist();
        assertThat(live).exists(); // a running process's temp file is never taken
        Files.delete(live);

        // an empty folder a killed write created (lock and a temp file only) is still a new layout
        Path fresh = Files.createDirectories(tmp.resolve("fresh"));
        Files.writeString(fresh.resolve(LayoutLock.FILE), "");
        Files.writeString(fresh.resolve(".oci-layout.tmp-" + GONE + "-9"), "");
        write(a, fresh, "one");
        assertThat(tags(fresh)).containsExactly("one");
        assertThat(leftovers(fresh)).isEmpty();
    }

    @Test
    void archivesSweepDeadTempFilesBesideThemAndLeaveNoneOfTheirOwn() throws Exception {
        AssembledImage a = Fixtures.image(tmp.resolve("layers"), "a");
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Path stale = Files.writeString(dir.resolve(".img.tar.tmp-" + GONE + "-5"), "half an archive");
        Path other = Files.writeString(dir.resolve("notes.tmp-" + GONE + "-5"), "not ours: no leading dot");
        Transports.write(a, ImageReference.parse("oci-archive:" + dir.resolve("img.tar") + ":1"), RegistrySettings.defaults());
        Transports.write(a, ImageReference.parse("docker-archive:" + dir.resolve("d.tar") + ":x/y:1"), RegistrySettings.defaults());
        assertThat(stale).doesNotExist();
        assertThat(other).exists();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("img.tar", "d.tar", other.getFileName().toString());
        }
    }

    @Test
    void aStagedFileIsCheckedFirstAndCommittedOnlyWhenAsked() throws Exception {
        Path digest = Files.writeString(tmp.resolve("digest"), "old\n");
        try (StagedFile f = StagedFile.prepare(digest, "--digest-file")) {
            f.write("new\n");
            assertThat(digest).hasContent("old"); // not before commit
        } // closed uncommitted: as if the main output failed
        assertThat(digest).hasContent("old");
        assertThat(leftovers(tmp)).isEmpty();

        try (StagedFile f = StagedFile.prepare(digest, "--digest-file")) {
            f.write("new\n");
            f.commit();
        }
        assertThat(digest).hasContent("new");
        assertThat(leftovers(tmp)).isEmpty();

        Path missing = tmp.resolve("no/such/digest");
        assertThatThrownBy(() -> StagedFile.prepare(missing, "--digest-file"))
                .isInstanceOf(ImageOutputException.class)
                .hasMessage("cannot write --digest-file " + missing + ": no such directory " + missing.getParent());
        assertThat(tmp.resolve("no")).doesNotExist();
        assertThatThrownBy(() -> StagedFile.prepare(tmp, "--digest-file"))
                .hasMessage("cannot write --digest-file " + tmp + ": it is a directory");
    }

    /** Temp files (ours or anybody's) anywhere under {@code root}. */
    static List<String> leftovers(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).filter(n -> n.contains(".tmp")).toList();
        }
    }
}
