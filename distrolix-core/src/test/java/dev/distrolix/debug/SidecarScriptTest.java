package dev.distrolix.debug;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's script, run by the toolkit's real busybox sh. */
@IntegrationTest
class SidecarScriptTest {
    @TempDir
    Path tmp;

    @Test
    void commandWordsAreJoinedAndRunBySh() {
        List<String> argv = SidecarScript.command(List.of("echo", "$TARGET_ROOT", "|", "tr", "a-z", "A-Z;", "exit", "7"));
        assertThat(argv).hasSize(4).startsWith("sh", "-c");
        assertThat(argv.get(3)).isEqualTo("echo $TARGET_ROOT | tr a-z A-Z; exit 7");
        Sh.Result r = Sh.run(argv, Map.of("TARGET_ROOT", "/"), "");
        assertThat(r.out()).isEqualTo("/\n");
        assertThat(r.exit()).isEqualTo(7);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void withoutCommandItExecsAShellThatReadsStdin() {
        Sh.Result r = Sh.run(SidecarScript.command(List.of()), Map.of("TARGET_ROOT", "/"), "echo from-stdin\nexit 4\n");
        assertThat(r.out()).isEqualTo("from-stdin\n");
        assertThat(r.exit()).isEqualTo(4);
    }

    @Test
    void anInvisibleTargetRootStopsBeforeTheCommandWithOneLineNamingBothUids() throws Exception {
        // a fake "/proc/1" of a target whose root cannot be followed
        Path proc1 = java.nio.file.Files.createDirectories(tmp.resolve("1"));
        java.nio.file.Files.writeString(proc1.resolve("status"), "Name:\tnginx\nUid:\t31337\t31337\t31337\t31337\n");
        Sh.Result r = Sh.run(SidecarScript.command(List.of("echo", "must-not-run")),
                Map.of("TARGET_ROOT", proc1.resolve("root").toString()), "");
        assertThat(r.exit()).isEqualTo(SidecarScript.NO_VIEW_EXIT);
        assertThat(r.out()).isEmpty();
        String me = dev.distrolix.testing.Fixtures.run("id", "-u").strip();
        assertThat(r.err()).isEqualTo("distrolix: the sidecar (uid " + me + ") cannot see the files of the target at "
                + proc1.resolve("root") + ", whose main process runs as uid 31337: run the sidecar as that user or with"
                + " CAP_SYS_PTRACE\n");
    }
}
