package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or mistaken specs fail fast, with one line naming the file, as input errors (exit 3). */
class SpecHardeningTest {
    @TempDir
    Path dir;
    SpecFiles files;

    @BeforeEach
    void setUp() {
        files = new SpecFiles(dir);
    }

    /** Loads {@code yaml}, expecting an input error within {@code seconds}; returns its message. */
    private String failsFast(String yaml, double seconds) {
        Path file = files.write("image.yaml", yaml);
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            SpecLoader.load(file);
        } catch (Throwable t) {
            thrown = t;
        }
        double took = (System.nanoTime() - start) / 1e9;
        assertThat(thrown).isInstanceOf(SpecException.class).isInstanceOf(InputException.class);
        assertThat(took).as("seconds to fail").isLessThan(seconds);
        String message = thrown.getMessage();
        assertThat(message).startsWith(file.toString()).doesNotContain("\n");
        return message;
    }

    @Test
    void longMergeKeyChainFailsFast() {
        StringBuilder yaml = new StringBuilder("name: app\nvars: &m0 { k0: v }\nchain:\n");
        for (int i = 1; yaml.length() < 230_000; i++) {
            yaml.append("  m").append(i).append(": &m").append(i).append(" { <<: *m").append(i - 1)
                    .append(", k").append(i).append(": v }\n");
        }
        String message = failsFast(yaml.toString(), 2);
        assertThat(message).contains("more than 50 aliases to maps or lists");
    }

    @Test
    void billionLaughsFailsFast() {
        StringBuilder yaml = new StringBuilder("name: app\nx:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            String prev = "*a" + (i - 1);
            yaml.append("  a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        assertThat(failsFast(yaml.toString(), 2)).contains("x.a6[5]: more than 50 aliases to maps or lists");
    }

    @Test
    void deepNestingFailsFast() {
        String yaml = "name: app\nvars: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThat(failsFast(yaml, 2)).containsPattern("nest|depth").doesNotContain("StreamReadConstraints");
        String json = "{\"name\": \"app\", \"vars\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        Path file = files.write("image.json", json);
        assertThatThrownBy(() -> SpecLoader.load(file)).isInstanceOf(SpecException.class)
                .hasMessageContaining("image.json:1:").hasMessageContaining("depth")
                .hasMessageEndingWith("exceeds the maximum allowed (64)");
    }

    @Test
    void mergesCopyingTooManyKeysFail() {
        StringBuilder yaml = new StringBuilder("name: app\nbig: &big {");
        for (int i = 0; i < 2_000; i++) {
            yaml.append(i == 0 ? "" : ", ").append("k").append(i).append(": v");
        }
        yaml.append("}\nx:\n");
        for (int i = 0; i < 6; i++) {
            yaml.append("  m").append(i).append(": { <<: *big }\n");
        }
        assertThat(failsFast(yaml.toString(), 2)).contains("'<<' merge keys copy more than 10000 keys");
    }

    @Test
    void oversizedSpecFails() {
        String yaml = "name: app\n#" + "x".repeat(SpecTreeReader.MAX_BYTES) + "\n";
        assertThat(failsFast(yaml, 2)).endsWith(": the spec is larger than 4 MiB");
    }

    @Test
    void aFewAliasesAndMergesStillWork() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                accounts:
                  groups: [ { name: app, gid: 10 } ]
                  users: [ { name: app, uid: 10 } ]
                paths:
                  - &dir { path: /a, type: directory, owner: app, mode: "0700" }
                  - { <<: *dir, path: /b }
                  - { <<: *dir, path: /c }
                """);
        assertThat(spec.paths()).extracting(PathSpec::path).containsExactly("/a", "/b", "/c");
        assertThat(spec.paths()).allSatisfy(p -> assertThat(p.uid()).isEqualTo(10));
    }

    @Test
    void cmdAsAStringShowsTheListForm() {
        files.assertError("image.yaml", "name: app\nconfig:\n  cmd: /usr/local/bin/nginx\n",
                "image.yaml:3:8: config.cmd: must be a list, e.g. cmd: [\"/usr/local/bin/nginx\"]");
        files.assertError("image.yaml", "name: app\nconfig:\n  entrypoint: nginx -g 'daemon off;'\n",
                "image.yaml:3:15: config.entrypoint: must be a list, e.g. entrypoint: [\"nginx\", \"-g\", \"'daemon\","
                        + " \"off;'\"]");
        files.assertError("image.json", "{\"name\": \"app\", \"config\": {\"cmd\": \"/bin/app\"}}",
                "image.json:1:35: config.cmd: must be a list, e.g. cmd: [\"/bin/app\"]");
    }

    @Test
    void symlinkClimbingAboveTheRootIsRefused() {
        files.assertError("image.yaml", "name: app\npaths:\n  - { path: /etc/x, target: ../../../etc/shadow }\n",
                "image.yaml:3:29: paths[0].target: '../../../etc/shadow' climbs above the image root from /etc/x"
                        + " ('..' beyond '/'; image readers refuse such links)");
        files.assertError("image.yaml", "name: app\npaths:\n  - { path: /x, target: .. }\n",
                "image.yaml:3:25: paths[0].target: '..' climbs above the image root from /x"
                        + " ('..' beyond '/'; image readers refuse such links)");
    }

    @Test
    void symlinkTargetsThatStayInsideAreAccepted() {
        ImageSpec spec = files.load("image.yaml", """
                name: app
                vars: { up: ".." }
                packages: [ /nix/store/00000000000000000000000000000000-hello-1.0 ]
                paths:
                  - { path: /etc/x, target: ../usr/lib/x }
                  - { path: /a/b/c, target: "${up}/../d" }
                  - { path: /abs, target: /etc/passwd }
                  - { path: /bin/hello, target: "${packages.hello}/bin/hello" }
                  - { path: /usr/bin/hello, target: "../..${packages.hello}/bin/hello" }
                """);
        assertThat(spec.paths()).hasSize(5);
        files.assertError("image.yaml", "name: app\nvars: { up: \"../..\" }\npaths:\n  - { path: /a/x, target: \"${up}/y\" }\n",
                "image.yaml:4:27: paths[0].target: '${up}/y' climbs above the image root from /a/x"
                        + " ('..' beyond '/'; image readers refuse such links)");
    }

    @Test
    void absoluteTargetsClimbingAboveTheRootAreRefusedToo() {
        files.assertError("image.yaml", "name: app\npaths:\n  - { path: /a/x, target: /../etc }\n",
                "image.yaml:3:27: paths[0].target: '/../etc' climbs above the image root from /a/x"
                        + " ('..' beyond '/'; image readers refuse such links)");
    }

    @Test
    void varsRepeatedPastWhatASpecMayExpandToAreRefusedBeforeAnyIsRendered() {
        String mb = "x".repeat(1 << 20);
        // one string: 100 copies of a 1 MiB var
        String message = failsFast("name: app\nvars: { a: " + mb + " }\npaths:\n  - { path: /etc/x, content: \""
                + "${a}".repeat(100) + "\" }\n", 5);
        assertThat(message).contains("paths[0].content: expands to more than 64 MiB of text");
        // many strings, each under the bound, together over it
        StringBuilder env = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            env.append("    V").append(i).append(": \"${a}\"\n");
        }
        assertThat(failsFast("name: app\nvars: { a: " + mb + " }\nconfig:\n  env:\n" + env, 5))
                .contains("config.env.V64: expands to more than 64 MiB of text");
        // an interpolated source file that repeats it
        Path big = files.write("big.txt", "${a}".repeat(70));
        Path spec = files.write("image.yaml", "name: app\nvars: { a: " + mb + " }\npaths:\n  - { path: /etc/x,"
                + " source: big.txt, interpolate: true }\n");
        assertThatThrownBy(() -> SpecLoader.load(spec)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith(big + ":1:1: paths[0].source: expands to more than 64 MiB");
        // what stays under the bound renders
        SpecLoader.load(files.write("image.yaml", "name: app\nvars: { a: " + mb + " }\npaths:\n"
                + "  - { path: /etc/x, content: \"${a}${a}\" }\n"));
    }

    /**
     * SnakeYAML's own reader copied its look-ahead at each 1 KiB read: a 4 MiB word allocated ~16 GB and took 5.7 s.
     * Garbage is what is bounded here (a count of bytes, the same on a busy machine), time along with it.
     */
    @Test
    void aLongWordOrLineCostsGarbageLinearInIt() {
        String big = "x".repeat(3 << 20);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (String yaml : java.util.List.of("name: app\nvars: { a: " + big + " }\n",
                "name: app\nvars: { a: \"" + big + "\" }\n", "name: app\nvars: { a: '" + big + "' }\n",
                "name: app\nvars:\n  a: |\n    " + big + "\n", "name: app\n# " + big + "\n")) {
            Path file = files.write("image.yaml", yaml);
            long before = threads.getCurrentThreadAllocatedBytes();
            ImageSpec spec = SpecLoader.load(file);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(spec.name()).isEqualTo("app");
            assertThat(allocated).as("bytes allocated reading %s", yaml.substring(0, 20)).isLessThan(256L << 20);
        }
    }

    @Test
    void aPathLongerThanLinuxTakesIsRefusedAndQuotedShort() {
        String deep = "/a".repeat(100_000);
        String message = failsFast("name: app\npaths:\n  - { path: " + deep + ", content: hi }\n", 5);
        assertThat(message).contains("is longer than 4095 bytes").contains("(200000 characters)").hasSizeLessThan(400);
        assertThat(failsFast("name: app\npaths:\n  - { path: /d/" + "n".repeat(256) + ", content: hi }\n", 5))
                .contains("has a name longer than 255 bytes");
        SpecLoader.load(files.write("image.yaml", "name: app\npaths:\n  - { path: /d/" + "n".repeat(255)
                + ", content: hi }\n"));
    }

    @Test
    void manyPathsLoadInTimeLinearInThemAndManyPackagesAreRefused() {
        StringBuilder yaml = new StringBuilder("name: app\npaths:\n");
        for (int i = 0; i < 40_000; i++) {
            yaml.append("  - { path: /d/f").append(i).append(", content: x }\n");
        }
        long start = System.nanoTime();
        assertThat(SpecLoader.load(files.write("image.yaml", yaml.toString())).paths()).hasSize(40_000);
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to load").isLessThan(10);
        // still found: the entry below a file, named with the file's entry
        assertThat(failsFast(yaml + "  - { path: /d/f39999/x, content: y }\n", 10))
                .contains("paths[40000].path: '/d/f39999/x' is below '/d/f39999', which is a file (paths[39999])");

        StringBuilder packages = new StringBuilder("name: app\npackages:\n");
        for (int i = 0; i <= 1000; i++) {
            packages.append("  - p").append(i).append('\n');
        }
        assertThat(failsFast(packages.toString(), 5)).contains("packages: 1001 packages: a spec lists at most 1000");
    }

    @Test
    void aNumberMegabytesLongIsQuotedShort() {
        String message = failsFast("name: app\naccounts:\n  groups:\n    - { name: g, gid: \"" + "9".repeat(3_000_000)
                + "\" }\n", 10);
        assertThat(message).contains("expected a decimal integer, found the string \"999").contains("(3000000 characters)")
                .hasSizeLessThan(600);
    }

    @Test
    void aSpecThatIsAPipeIsRefusedRatherThanWaitedFor() throws Exception {
        Path fifo = dir.resolve("fifo.yaml");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        long start = System.nanoTime();
        assertThatThrownBy(() -> SpecLoader.load(fifo)).isInstanceOf(SpecException.class)
                .hasMessage(fifo + ": not a regular file (to read a spec from a pipe, name it - and give it on stdin)");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
    }

    @Test
    void aStopSignalLinuxDoesNotHaveIsRefused() {
        for (String bad : new String[] {"SIGFOO", "0", "65", "SIGRTMIN+16", "SIGRTMAX-15", "SIGRTMIN+0", "SIGTERM+1", "sigterm"}) {
            assertThat(failsFast("name: app\nconfig:\n  stop-signal: \"" + bad + "\"\n", 5))
                    .contains("config.stop-signal: '" + bad + "' is not a signal");
        }
        for (String good : new String[] {"SIGTERM", "SIGQUIT", "SIGCLD", "SIGRTMAX-14", "SIGRTMIN+15", "SIGRTMIN", "9", "64"}) {
            Path file = files.write("image.yaml", "name: app\nconfig:\n  stop-signal: \"" + good + "\"\n");
            assertThat(SpecLoader.load(file).config().stopSignal()).contains(good);
        }
    }

    @Test
    void escapesRootMatchesTheImageReadersRule() {
        assertThat(ImagePaths.escapesRoot("/a/b/link", "../../x")).isFalse();
        assertThat(ImagePaths.escapesRoot("/a/b/link", "../../../x")).isTrue();
        assertThat(ImagePaths.escapesRoot("/link", "./x/../..")).isTrue();
        assertThat(ImagePaths.escapesRoot("/link", "x/../y")).isFalse();
        assertThat(ImagePaths.escapesRoot("/a/b/link", "/etc/../x")).isFalse();
        assertThat(ImagePaths.escapesRoot("/a/b/link", "/../x")).isTrue();
    }
}
