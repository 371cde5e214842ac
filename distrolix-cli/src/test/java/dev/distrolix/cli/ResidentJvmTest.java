package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DISTROLIX_DAEMON=1}: {@code bin/distrolix} runs commands through distrolix-client in a resident JVM
 * ({@code dev.distrolix.cli.resident}), the real programs end to end. A run there prints, exits and reads stdin as a
 * JVM of its own would; a JVM serves one working directory and environment, one run at a time (a busy one leaves
 * the run to a JVM of its own); a signal or a client that goes away ends it as it would have ended the run; it ends
 * when idle; a folder others may enter is not used; bad settings are one line, exit 3.
 */
@IntegrationTest
class ResidentJvmTest {
    @TempDir
    Path tmp;
    Path runtime;
    Path residents;
    Path work;

    @BeforeEach
    void folders() throws IOException {
        runtime = Files.createDirectories(tmp.resolve("run"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        residents = runtime.resolve("distrolix");
        work = Files.createDirectories(tmp.resolve("work"));
    }

    @AfterEach
    void stop() throws Exception {
        List<Long> pids = pids();
        Fixtures.Exit stop = exec(work, Map.of("DISTROLIX_DAEMON", "stop"), null, List.of());
        assertThat(stop.code()).as(stop.err()).isZero();
        for (long pid : pids) {
            awaitEnd(pid);
        }
    }

    /** bin/distrolix in {@code dir} with this test's runtime folder, {@code env} on top; stdin from a file or none. */
    private ProcessBuilder builder(Path dir, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Fixtures.repo().resolve("bin/distrolix").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("NIX_CONFIG", "substituters =");
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        pb.environment().put("DISTROLIX_DAEMON", "1");
        pb.environment().put("DISTROLIX_DAEMON_IDLE", "300");
        pb.environment().putAll(env);
        return pb;
    }

    private Fixtures.Exit exec(Path dir, Map<String, String> env, Path stdin, List<String> args) {
        ProcessBuilder pb = builder(dir, env, args);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        return Fixtures.exec(pb);
    }

    private Fixtures.Exit resident(String... args) {
        return exec(work, Map.of(), null, List.of(args));
    }

    /** Runs {@code args} until a resident JVM serves this folder and environment (the first run starts it). */
    private void startResident(Path dir, Map<String, String> env) throws Exception {
        int before = sockets().size();
        for (int i = 0; i < 120 && sockets().size() == before; i++) {
            Fixtures.Exit e = exec(dir, env, null, List.of("--version"));
            assertThat(e.code()).as(e.err()).isZero();
            Thread.sleep(250);
        }
        assertThat(sockets()).as("a resident JVM listens").hasSize(before + 1);
    }

    /** The resident JVMs' files of one kind ({@code .sock}, {@code .lock}, {@code .log}), sorted. */
    private List<Path> files(String suffix) throws IOException {
        if (!Files.isDirectory(residents)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(residents)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private List<Path> sockets() throws IOException {
        return files(".sock");
    }

    private List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (Path p : files(".lock")) {
            String text = Files.readString(p).trim();
            if (text.matches("[0-9]+")) {
                pids.add(Long.parseLong(text));
            }
        }
        return pids;
    }

    private String log() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : files(".log")) {
            all.append(Files.readString(p, StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    /** Waits (up to 30 s) for the process to end, if it is there. */
    private static void awaitEnd(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.contains(line)).count();
    }

    @Test
    void aRunThereIsARunOfItsOwn() throws Exception {
        Path layout = NginxLayout.dir();
        Files.createSymbolicLink(work.resolve("image"), layout);
        Files.writeString(work.resolve("bad.yaml"), "name: [\n");
        startResident(work, Map.of());
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("version", List.of("--version"));
        cases.put("inspect, a path relative to the folder", List.of("inspect", "oci:image:1"));
        cases.put("inspect --json", List.of("inspect", "--json", "oci:image:1"));
        cases.put("audit", List.of("audit", "oci:image:1"));
        cases.put("no such layout (exit 3)", List.of("inspect", "oci:missing"));
        cases.put("usage (exit 2)", List.of("inspect"));
        cases.put("unknown option (exit 2)", List.of("inspect", "--bogus", "oci:image:1"));
        int served = 0;
        for (var c : cases.entrySet()) {
            Fixtures.Exit own = exec(work, Map.of("DISTROLIX_DAEMON", "0"), null, c.getValue());
            Fixtures.Exit there = resident(c.getValue().toArray(String[]::new));
            served++;
            assertThat(there).as(c.getKey()).isEqualTo(own);
        }
        // stdin: a spec read from it, a bad one (exit 3, the line naming <stdin>), as the JVM of its own reads it
        Fixtures.Exit own = exec(work, Map.of("DISTROLIX_DAEMON", "0"), work.resolve("bad.yaml"),
                List.of("build", "-", "-o", "oci:out"));
        Fixtures.Exit there = exec(work, Map.of(), work.resolve("bad.yaml"), List.of("build", "-", "-o", "oci:out"));
        served++;
        assertThat(own.code()).isEqualTo(3);
        assertThat(own.err()).contains("<stdin>");
        assertThat(there).isEqualTo(own);
        assertThat(work.resolve("out")).doesNotExist();
        // a process's own files (here: the client's stdout) are the JVM's own there: such a run goes the ordinary way
        Fixtures.Exit ownArchive = exec(work, Map.of("DISTROLIX_DAEMON", "0"), null,
                List.of("copy", "-q", "oci:image:1", "oci-archive:/dev/stdout"));
        Fixtures.Exit archive = resident("copy", "-q", "oci:image:1", "oci-archive:/dev/stdout");
        assertThat(ownArchive.code()).isZero();
        assertThat(ownArchive.out()).hasSizeGreaterThan(1_000_000);
        assertThat(archive).isEqualTo(ownArchive);
        String log = log();
        assertThat(log).contains("refused a run: an argument names a device or a process's files");
        log = log.replace("refused a run: an argument names a device or a process's files", "");
        assertThat(count(log, ": exit ")).as(log).isGreaterThanOrEqualTo(served);
        assertThat(log).contains("inspect: exit 3", "inspect: exit 2", "build: exit 3").doesNotContain("refused");
        assertThat(sockets()).hasSize(1);
    }

    @Test
    void anotherFolderOrEnvironmentIsAnotherJvm() throws Exception {
        startResident(work, Map.of());
        Path other = Files.createDirectories(tmp.resolve("other"));
        startResident(other, Map.of());
        startResident(work, Map.of("SOME_SETTING", "x"));
        assertThat(sockets()).hasSize(3);
        assertThat(new java.util.HashSet<>(pids())).hasSize(3);
        // the shell's bookkeeping is not the environment: a subshell's SHLVL, a cd's OLDPWD
        Fixtures.Exit e = exec(work, Map.of("SHLVL", "7", "OLDPWD", "/"), null, List.of("--version"));
        assertThat(e.code()).isZero();
        assertThat(sockets()).hasSize(3);
    }

    @Test
    void aBusyJvmLeavesTheRunToItsOwnAndASignalEndsTheRunAsItWould() throws Exception {
        startResident(work, Map.of());
        long pid = pids().get(0);
        Process reading = readingStdin();
        Fixtures.Exit meanwhile = resident("--version");
        assertThat(meanwhile.code()).as(meanwhile.err()).isZero();
        assertThat(meanwhile.out()).startsWith("distrolix ");
        assertThat(log()).contains("refused a run: busy");
        reading.destroy(); // SIGTERM to the client: the JVM ends as the run's own would have, 128 + 15
        assertThat(reading.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reading.exitValue()).isEqualTo(143);
        awaitEnd(pid);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(log()).contains("stopping: the client got signal 15 mid-run");
        assertThat(sockets()).isEmpty();
        assertThat(work.resolve("out")).doesNotExist();
    }

    /** A build reading its spec from stdin, which stays open: the resident JVM waits for it. */
    private Process readingStdin() throws Exception {
        Process reading = builder(work, Map.of(), List.of("build", "-", "-o", "oci:out")).start();
        Thread.sleep(1500);
        assertThat(reading.isAlive()).isTrue();
        return reading;
    }

    @Test
    void aClientThatGoesAwayEndsTheJvm() throws Exception {
        startResident(work, Map.of());
        long pid = pids().get(0);
        Process reading = readingStdin();
        reading.destroyForcibly();
        reading.waitFor(30, TimeUnit.SECONDS);
        awaitEnd(pid);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(log()).contains("stopping: the client went away mid-run");
    }

    /**
     * A JVM that does not answer (stopped here) is left after ten seconds and the run goes the ordinary way; when it
     * wakes it finds the client gone and runs nothing (it runs a command only after the client's go).
     */
    @Test
    void aFrozenJvmIsLeftAndRunsNothing() throws Exception {
        startResident(work, Map.of());
        long pid = pids().get(0);
        long served = count(log(), "--version: exit 0");
        Fixtures.run("kill", "-STOP", Long.toString(pid));
        long start = System.nanoTime();
        Fixtures.Exit e;
        try {
            e = resident("--version");
        } finally {
            Fixtures.run("kill", "-CONT", Long.toString(pid));
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).startsWith("distrolix ");
        assertThat(seconds).isBetween(9L, 60L);
        for (int i = 0; i < 100 && !log().contains("did not say go") && !log().contains("lost a client"); i++) {
            Thread.sleep(100);
        }
        assertThat(log()).containsAnyOf("refused a run: the client did not say go", "lost a client");
        assertThat(count(log(), "--version: exit 0")).as(log()).isEqualTo(served); // the run was not run there too
        assertThat(log()).doesNotContain("stopping");
    }

    /** A folder removed and made again under its name is another: the JVM that had it ends, and serves no run there. */
    @Test
    void aFolderMadeAgainIsAnotherFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("again"));
        startResident(folder, Map.of());
        long pid = pids().get(0);
        Files.delete(folder);
        Files.createDirectories(folder);
        Fixtures.Exit e = exec(folder, Map.of(), null, List.of("--version"));
        assertThat(e.code()).as(e.err()).isZero();
        awaitEnd(pid);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(log()).containsAnyOf("stopping: its working directory was removed or replaced",
                "refused a run: another working directory under the same name");
    }

    /** The resident JVM's spare evaluations: its children waiting for an expression. */
    private static List<ProcessHandle> spares(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children)
                .filter(p -> p.info().commandLine().orElse("").endsWith(" --eval --strict -")).toList();
    }

    @Test
    void aBuildThereEvaluatesOnANixStartedBeforeItAndTheSpareEndsWithTheJvm() throws Exception {
        // a package of this test's own, built by the first build (a JVM of its own); the builds after only evaluate
        Files.writeString(work.resolve("pkg.nix"), "builtins.derivation { name = \"spare-" + System.nanoTime()
                + "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; args = [ \"-c\" \"echo > $out\" ]; }\n");
        Files.writeString(work.resolve("image.yaml"), "name: spare\ntag: t\npackages:\n  - ./pkg.nix\n");
        List<String> build = List.of("build", "-q", "--no-cache", "image.yaml", "-o", "oci:out:t");
        Fixtures.Exit own = exec(work, Map.of("DISTROLIX_DAEMON", "0"), null, build);
        assertThat(own.code()).as(own.err()).isZero();
        startResident(work, Map.of());
        long pid = pids().get(0);
        assertThat(spares(pid)).as("no build yet, no spare").isEmpty();
        Fixtures.Exit first = resident(build.toArray(String[]::new));
        assertThat(first).isEqualTo(own);
        List<ProcessHandle> spare = waitForSpare(pid, List.of());
        // the next build takes it (it ends) and a new one waits for the build after
        Fixtures.Exit second = resident(build.toArray(String[]::new));
        assertThat(second).isEqualTo(own);
        spare.get(0).onExit().get(10, TimeUnit.SECONDS);
        List<ProcessHandle> next = waitForSpare(pid, spare);
        // stopped, the JVM ends its spare: no Nix is left waiting
        Fixtures.Exit stop = exec(work, Map.of("DISTROLIX_DAEMON", "stop"), null, List.of());
        assertThat(stop.code()).as(stop.err()).isZero();
        awaitEnd(pid);
        next.get(0).onExit().get(10, TimeUnit.SECONDS);
        assertThat(next.get(0).isAlive()).isFalse();
    }

    /** The one spare of the JVM {@code pid} other than {@code before}'s, once there (up to 10 s). */
    private static List<ProcessHandle> waitForSpare(long pid, List<ProcessHandle> before) throws InterruptedException {
        List<ProcessHandle> now = List.of();
        for (int i = 0; i < 100; i++) {
            now = spares(pid).stream().filter(p -> !before.contains(p)).toList();
            if (!now.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(now).as("a spare evaluation waits (children: %s)", ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::children).map(p -> p.info().commandLine().orElse("?")).toList()).hasSize(1);
        return now;
    }

    @Test
    void anIdleJvmEnds() throws Exception {
        startResident(work, Map.of("DISTROLIX_DAEMON_IDLE", "2"));
        long pid = pids().get(0);
        awaitEnd(pid);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(log()).contains("stopping: idle for ");
        assertThat(sockets()).isEmpty();
    }

    @Test
    void aFolderOthersMayEnterIsNotUsed() throws Exception {
        Files.createDirectories(residents);
        Files.setPosixFilePermissions(residents, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (int i = 0; i < 3; i++) {
            Fixtures.Exit e = resident("--version");
            assertThat(e.code()).as(e.err()).isZero();
            assertThat(e.out()).startsWith("distrolix ");
            Thread.sleep(500);
        }
        try (Stream<Path> s = Files.list(residents)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void badSettingsAreOneLineExitThree() {
        Fixtures.Exit mode = exec(work, Map.of("DISTROLIX_DAEMON", "yes please"), null, List.of("--version"));
        assertThat(mode.code()).isEqualTo(3);
        assertThat(mode.out()).isEmpty();
        assertThat(mode.err()).isEqualTo("distrolix: DISTROLIX_DAEMON=yes please: not 1, 0 or stop\n");
        Fixtures.Exit idle = exec(work, Map.of("DISTROLIX_DAEMON_IDLE", "90000"), null, List.of("--version"));
        assertThat(idle.code()).isEqualTo(3);
        assertThat(idle.err()).isEqualTo(
                "distrolix: DISTROLIX_DAEMON_IDLE=90000: not a number of seconds from 1 to 86400\n");
        Fixtures.Exit off = exec(work, Map.of("DISTROLIX_DAEMON", "0"), null, List.of("--version"));
        assertThat(off.code()).isZero();
        assertThat(residents).doesNotExist();
    }
}
