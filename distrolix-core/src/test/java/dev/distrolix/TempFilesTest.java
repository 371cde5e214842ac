package dev.distrolix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {
    static final long GONE = 2_000_000_000L; // above Linux's pid_max: no such process

    @TempDir
    Path tmp;

    @Test
    void namesCarryThePid() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path beside = TempFiles.createBeside(tmp.resolve("image.tar"));
        assertThat(beside.getFileName().toString()).startsWith(".image.tar.tmp-" + pid + "-");
        assertThat(TempFiles.owner(beside.getFileName().toString())).isEqualTo(pid);
        assertThat(TempFiles.owner("distrolix-" + pid + "-build-123")).isEqualTo(pid);
        assertThat(TempFiles.owner("distrolix-nginx-layout-1")).isNull();
        assertThat(TempFiles.owner("image.tar")).isNull();
        assertThat(TempFiles.owner(".x.tmp-99999999999999999999999-1")).isNull(); // not a pid: left alone
    }

    @Test
    void aLinkBesideIsTheSameFileUnderAFreshTempNameAndTakesNoExistingName() throws Exception {
        Path blob = Files.writeString(tmp.resolve("blob"), "layer");
        Path target = tmp.resolve("sha256-abc");
        Path first = TempFiles.linkBeside(target, blob);
        Path second = TempFiles.linkBeside(target, blob);
        assertThat(first).isNotEqualTo(second);
        for (Path link : java.util.List.of(first, second)) {
            assertThat(link.getParent()).isEqualTo(tmp);
            assertThat(link.getFileName().toString()).startsWith(TempFiles.besidePrefix(target));
            assertThat(Files.isSameFile(link, blob)).isTrue();
            assertThat(TempFiles.owner(link.getFileName().toString())).isEqualTo(TempFiles.pid());
        }
        assertThat(Files.readString(blob)).isEqualTo("layer"); // nothing written through a name taken before
        assertThat(Files.getAttribute(blob, "unix:nlink")).isEqualTo(3);
        try (var names = Files.list(tmp)) {
            assertThat(names).hasSize(3); // no placeholder file left beside the links
        }
    }

    @Test
    void sweepRemovesOnlyTheTempFilesOfProcessesThatAreGone() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path dead = Files.writeString(tmp.resolve(".a.tar.tmp-" + GONE + "-1"), "x");
        Path live = Files.writeString(tmp.resolve(".a.tar.tmp-" + pid + "-2"), "x");
        Path user = Files.writeString(tmp.resolve("a.tar"), "x");
        Path tmpStyle = Files.createDirectories(tmp.resolve("distrolix-" + GONE + "-build-3/sub"));
        assertThat(TempFiles.sweep(tmp)).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(live).exists();
        assertThat(user).exists();
        assertThat(tmpStyle).exists(); // temp-folder names are swept in java.io.tmpdir only
        assertThat(TempFiles.sweep(tmp.resolve("missing"))).isZero();
    }

    @Test
    void theTempFolderSweepTakesDeadFoldersWithTheirContent() throws Exception {
        String old = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            Path mine = TempFiles.createTempDirectory("build");
            Path dead = Files.createDirectories(tmp.resolve("distrolix-" + GONE + "-build-3/sub"));
            Files.writeString(dead.resolve("layer"), "x");
            Path deadFile = Files.writeString(tmp.resolve("distrolix-" + GONE + "-save-4.tar"), "x");
            Path beside = Files.writeString(tmp.resolve(".x.tmp-" + GONE + "-1"), "x");
            assertThat(TempFiles.sweepTempDirectory()).isEqualTo(2);
            assertThat(tmp.resolve("distrolix-" + GONE + "-build-3")).doesNotExist();
            assertThat(deadFile).doesNotExist();
            assertThat(mine).isDirectory();
            assertThat(beside).exists();
        } finally {
            System.setProperty("java.io.tmpdir", old);
        }
    }

    @Test
    void replaceQuietlyReplacesWholeOrNotAtAllAndLeavesNoTempFile() throws Exception {
        Path file = tmp.resolve("records/a");
        assertThat(TempFiles.replaceQuietly(file, new byte[] {1, 2, 3})).isTrue();
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
        assertThat(TempFiles.replaceQuietly(file, new byte[] {4})).isTrue();
        assertThat(Files.readAllBytes(file)).containsExactly(4);
        try (var s = Files.list(file.getParent())) {
            assertThat(s.toList()).containsExactly(file);
        }
        // its folder cannot be made (a file is in the way): not written, nothing thrown
        Files.writeString(tmp.resolve("blocked"), "a file");
        assertThat(TempFiles.replaceQuietly(tmp.resolve("blocked/a"), new byte[] {1})).isFalse();
        // the target is a folder: not replaced, and the temp file written for it is gone
        Path folder = Files.createDirectories(tmp.resolve("records/b"));
        Files.writeString(folder.resolve("inside"), "kept");
        assertThat(TempFiles.replaceQuietly(folder, new byte[] {1})).isFalse();
        assertThat(folder.resolve("inside")).hasContent("kept");
        try (var s = Files.list(file.getParent())) {
            assertThat(s.toList()).containsExactlyInAnyOrder(file, folder);
        }
    }
}
