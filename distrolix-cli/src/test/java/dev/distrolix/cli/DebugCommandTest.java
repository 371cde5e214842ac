package dev.distrolix.cli;

import static dev.distrolix.cli.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.debug.ShellWords;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distrolix debug} against the nginx example running under the real podman (runc): the toolkit is
 * built by distrolix from the local Nix store, the sidecar sees the target's processes, network and
 * files, and the target is the same afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@IntegrationTest
class DebugCommandTest {
    static final String INCLUDE = "nixpkgs=" + Fixtures.debianPackageSet();
    static final String IMAGE = "localhost/distrolix-debugtest-nginx:e2e";
    static final String TARGET = "distrolix-debugtest-web";
    static final String LABEL = "dev.distrolix.debug.target";

    @TempDir
    Path tmp;

    private final List<String> containers = new ArrayList<>(List.of(TARGET));
    private int port;
    private String diffBefore;
    private String mountsBefore;
    private long targetPid;

    @BeforeAll
    void startTheNginxExample() throws Exception {
        NginxImageTest.build(Fixtures.repo().resolve("examples/nginx/image.yaml"), "podman:" + IMAGE);
        port = Podman.freePort();
        Podman.runNginx(TARGET, IMAGE, port);
        assertThat(Podman.getWhenUp("http://127.0.0.1:" + port + "/").statusCode()).isEqualTo(200);
        diffBefore = podman("diff", TARGET);
        targetPid = Long.parseLong(podman("inspect", "--format", "{{.State.Pid}}", TARGET));
        mountsBefore = Files.readString(Path.of("/proc/" + targetPid + "/mountinfo"));
    }

    @AfterAll
    void removeContainers() {
        containers.forEach(Podman::removeQuietly);
    }

    /** {@code distrolix debug TARGET -I nixpkgs=… OPTIONS -- COMMAND…}, in-process. */
    static Cli debug(String target, List<String> options, String... command) {
        List<String> args = new ArrayList<>(List.of("debug", target, "-I", INCLUDE));
        args.addAll(options);
        if (command.length > 0) {
            args.add("--");
            args.addAll(Arrays.asList(command));
        }
        return Cli.run(args.toArray(String[]::new));
    }

    static Cli ok(Cli r) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isZero();
        return r;
    }

    static String sidecars() {
        return podman("ps", "-a", "--filter", "label=" + LABEL, "--format", "{{.Names}}");
    }

    static Set<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> closureNames(String... storePaths) {
        Set<String> names = new TreeSet<>();
        for (String p : storePaths) {
            for (String q : Fixtures.run("nix-store", "-qR", p).strip().split("\n")) {
                names.add(q.substring("/nix/store/".length()));
            }
        }
        return names;
    }

    @Test
    @Order(1)
    void theToolkitIsBuiltLocallyOnceAndReusedAndPsListsTheNginxProcesses() {
        for (String image : lines(podman("images", "--filter", "reference=localhost/distrolix-toolkit",
                "--format", "{{.Repository}}:{{.Tag}}"))) {
            podman("rmi", "-f", image);
        }
        long t0 = System.nanoTime();
        Cli first = ok(debug(TARGET, List.of(), "ps"));
        double firstSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(first.err()).contains("building  the debug toolkit from busybox strace → podman:localhost/distrolix-toolkit:");
        assertThat(first.out()).containsPattern("(?m)^\\s*1 root\\s+nginx: master process /usr/local/bin/nginx$")
                .containsPattern("(?m)^\\s*\\d+ 31337\\s+nginx: worker process$");

        t0 = System.nanoTime();
        Cli second = ok(debug(TARGET, List.of(), "ps"));
        double secondSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(second.err()).isEmpty(); // no build, no note
        assertThat(second.out()).contains("nginx: master process", "nginx: worker process");
        System.out.printf("debug toolkit: first call %.2f s (builds it), second call %.2f s (reuses it)%n",
                firstSeconds, secondSeconds);
        assertThat(secondSeconds).isLessThan(firstSeconds);

        // built by distrolix from the local store, not pulled: its layers are named by store paths
        String image = lines(podman("images", "--filter", "reference=localhost/distrolix-toolkit",
                "--format", "{{.Repository}}:{{.Tag}}")).iterator().next();
        String history = podman("image", "history", "--no-trunc", "--format", "{{.CreatedBy}}", image);
        assertThat(history).contains("distrolix: store paths " + Fixtures.storePath("busybox"),
                Fixtures.storePath("strace"));
        assertThat(sidecars()).isEmpty();
    }

    @Test
    @Order(2)
    void wgetReachesNginxThroughTheSharedNetworkNamespace() {
        Cli r = ok(debug(TARGET, List.of(), "wget", "-qO-", "http://127.0.0.1:80/"));
        assertThat(r.out()).contains("<h1>Hello from a distroless nginx</h1>");
    }

    @Test
    @Order(2)
    void theTargetsStoreIsAtTargetRootAndIsNotTheSidecars() {
        Set<String> targetStore = lines(ok(debug(TARGET, List.of(), "ls", "$TARGET_ROOT/nix/store")).out());
        Set<String> ownStore = lines(ok(debug(TARGET, List.of(), "ls", "/nix/store")).out());
        assertThat(targetStore).isEqualTo(closureNames(Fixtures.storePath("nginx")));
        assertThat(ownStore).isEqualTo(closureNames(Fixtures.storePath("busybox"), Fixtures.storePath("strace")));
        assertThat(targetStore).noneMatch(n -> n.contains("busybox") || n.contains("strace"));
        assertThat(ownStore).noneMatch(n -> n.contains("nginx"));
    }

    @Test
    @Order(2)
    void theTargetsPasswdShowsTheNginxUser() {
        Cli r = ok(debug(TARGET, List.of(), "cat", "$TARGET_ROOT/etc/passwd"));
        assertThat(r.out()).contains("nginx:x:31337:31337::/var/empty:");
    }

    @Test
    @Order(2)
    void straceAttachesToTheTargetsMainProcess() {
        Cli r = ok(debug(TARGET, List.of(), "timeout -s INT 1 strace -p 1 2>&1; true"));
        assertThat(r.out()).contains("strace: Process 1 attached");
    }

    @Test
    @Order(2)
    void theExitStatusIsTheCommandsAndErrorsGoToStderr() {
        Cli r = debug(TARGET, List.of(), "echo", "out;", "echo", "err", ">&2;", "exit", "42");
        assertThat(r.exitCode()).isEqualTo(42);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
        assertThat(sidecars()).isEmpty();
    }

    @Test
    @Order(2)
    void dryRunPrintsACommandThatRunsAsPrintedAndStartsNothing() {
        Cli r = ok(debug(TARGET, List.of("--dry-run"), "ps"));
        String line = r.out().strip();
        assertThat(line).startsWith("podman run --rm -i --name=distrolix-debug-" + TARGET + "-")
                .contains(" --pull=never --pid=container:" + TARGET + " --network=container:" + TARGET
                        + " --ipc=container:" + TARGET + " --uts=container:" + TARGET
                        + " --cap-add=SYS_PTRACE --user=0:0 --env=TARGET_ROOT=/proc/1/root localhost/distrolix-toolkit:")
                .endsWith(" ps");
        assertThat(sidecars()).isEmpty();
        // copy and paste: a shell runs the printed line and gets the same answer
        String out = Fixtures.run("sh", "-c", line + " </dev/null");
        assertThat(out).contains("nginx: master process");
        assertThat(sidecars()).isEmpty();
    }

    @Test
    @Order(2)
    void anotherImageCanBeTheToolkitAndAnotherPackageSetBuildsAnotherOne() {
        String toolkit = lines(podman("images", "--filter", "reference=localhost/distrolix-toolkit",
                "--format", "{{.Repository}}:{{.Tag}}")).iterator().next();
        Cli dry = ok(debug(TARGET, List.of("--image", toolkit, "--dry-run"), "ps"));
        assertThat(dry.out()).contains("--entrypoint=sh " + toolkit + " -c ").doesNotContain("--pull=never");
        assertThat(ok(debug(TARGET, List.of("--image", toolkit), "ps")).out()).contains("nginx: master process");

        Cli custom = ok(debug(TARGET, List.of("--packages", "nginx"), "nginx -v 2>&1; command -v nginx"));
        assertThat(custom.err()).contains("building  the debug toolkit from busybox nginx");
        assertThat(custom.out()).contains("nginx version: nginx/1.22.1", "/bin/nginx");
    }

    @Test
    @Order(2)
    void onATerminalItIsAnInteractiveShell() throws Exception {
        // script(1) gives the session a pseudo-terminal, as a user's terminal would; what we type is the input
        String session = ShellWords.join(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Distrolix.class.getName(), "debug", TARGET, "-I", INCLUDE));
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", session, "/dev/null").redirectErrorStream(true);
        pb.environment().put("NIX_CONFIG", "substituters =");
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write("echo \"root=$TARGET_ROOT\"; id -u; exit 5\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String screen = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(screen).isEqualTo(5);
        assertThat(screen).contains("debug / # ", "root=/proc/1/root\r\n0\r\n"); // busybox's prompt; a tty's CR LF
        assertThat(sidecars()).isEmpty();
    }

    @Test
    @Order(3)
    void aNonRootTargetGetsASidecarOfItsOwnUserThatSeesItsFilesWithoutPtrace() throws Exception {
        String image = "localhost/distrolix-debugtest-nonroot:e2e";
        String name = "distrolix-debugtest-nonroot";
        containers.add(name);
        NginxImageTest.build(Fixtures.repo().resolve("distrolix-cli/src/test/resources/debug/nginx-nonroot/image.yaml"),
                "podman:" + image);
        podman("rm", "-f", "--ignore", name);
        podman("run", "-d", "--name", name, image);
        assertThat(podman("inspect", "--format", "{{.Config.User}}", name)).isEqualTo("nginx"); // a name, not a number
        Cli dry = ok(debug(name, List.of("--no-ptrace", "--dry-run"), "id"));
        assertThat(dry.out()).contains("--user=31337:31337").doesNotContain("--cap-add");
        Cli r = ok(debug(name, List.of("--no-ptrace"),
                "id -u; id -g; ls $TARGET_ROOT/usr/share/nginx/html; for i in 1 2 3 4 5 6 7 8 9 10; do"
                        + " wget -qO- http://127.0.0.1:8080/ && break; sleep 0.3; done"));
        assertThat(r.out()).startsWith("31337\n31337\nindex.html\n").contains("Hello from a non-root distroless nginx");
    }

    @Test
    @Order(4)
    void unknownContainerIsOneLine() {
        Cli r = debug("distrolix-debugtest-nosuch", List.of(), "ps");
        assertThat(r.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("distrolix: no container 'distrolix-debugtest-nosuch' in podman");
        assertThat(r.out()).isEmpty();
        assertThat(sidecars()).isEmpty();
    }

    @Test
    @Order(4)
    void stoppedContainerIsOneLine() {
        String name = "distrolix-debugtest-stopped";
        containers.add(name);
        podman("rm", "-f", "--ignore", name);
        podman("create", "--name", name, IMAGE);
        Cli r = debug(name, List.of(), "ps");
        assertThat(r.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(r.err()).isEqualTo("distrolix: container '" + name + "' is not running (created): start it first;"
                + " a stopped container has no processes to debug\n");
        assertThat(sidecars()).isEmpty();
    }

    @Test
    @Order(4)
    void aMissingEngineIsOneLine() throws Exception {
        Path emptyPath = Files.createDirectories(tmp.resolve("bin"));
        Map<String, String> env = Map.of("PATH", emptyPath.toString(), "NIX_CONFIG", "substituters =");
        Cli auto = CliProcess.run(env, tmp, "debug", TARGET, "--", "ps");
        assertThat(auto.exitCode()).isEqualTo(Distrolix.EXIT_FAILURE);
        assertThat(auto.err()).isEqualTo("distrolix: neither podman nor docker is installed (not on PATH); install one,"
                + " or debug a pod with --kubernetes\n");
        Cli chosen = CliProcess.run(env, tmp, "debug", TARGET, "--runtime", "podman", "--", "ps");
        assertThat(chosen.exitCode()).isEqualTo(Distrolix.EXIT_FAILURE);
        assertThat(chosen.err()).isEqualTo("distrolix: podman is not installed (not on PATH)\n");
        assertThat(sidecars()).isEmpty();
    }

    @Test
    @Order(4)
    void aSidecarThatCannotSeeTheTargetsFilesStopsWithOneLine() {
        Cli r = debug(TARGET, List.of("--user", "4242", "--no-ptrace"), "echo", "must-not-run");
        assertThat(r.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("distrolix: the sidecar (uid 4242) cannot see the files of the target at"
                + " /proc/1/root, whose main process runs as uid 0: run the sidecar as that user or with CAP_SYS_PTRACE\n");
        assertThat(sidecars()).isEmpty();
        // the same user with ptrace sees them (CAP_SYS_PTRACE is what the kernel asks of another user)
        assertThat(ok(debug(TARGET, List.of("--user", "4242"), "ls", "$TARGET_ROOT/etc/nginx")).out()).isEqualTo("nginx.conf\n");
    }

    @Test
    @Order(5)
    void ctrlCStopsTheSessionAndRemovesTheSidecar() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Distrolix.class.getName(),
                "debug", TARGET, "-I", INCLUDE, "--", "sleep", "120"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("session.log").toFile());
        pb.environment().put("NIX_CONFIG", "substituters =");
        Process session = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sidecars().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(sidecars()).as("the sidecar started").startsWith("distrolix-debug-" + TARGET + "-");
            // Ctrl-C is SIGINT; a process started in the background of a shell without job control inherits
            // SIGINT ignored (then the JVM ignores it too), and there SIGTERM takes the same path
            boolean intIgnored = (sigIgn(session.pid()) & 0x2) != 0;
            String signal = intIgnored ? "TERM" : "INT";
            long t0 = System.nanoTime();
            Fixtures.run("kill", "-" + signal, Long.toString(session.pid()));
            assertThat(session.waitFor(30, TimeUnit.SECONDS)).as("distrolix ended on SIG%s", signal).isTrue();
            System.out.printf("debug: SIG%s to the end of the session %.2f s%n", signal, (System.nanoTime() - t0) / 1e9);
            assertThat(session.exitValue()).isEqualTo(intIgnored ? 143 : 130);
            assertThat(sidecars()).isEmpty();
        } finally {
            session.destroyForcibly();
        }
    }

    /** The SigIgn mask of a process, from /proc. */
    static long sigIgn(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return Long.parseLong(line.substring("SigIgn:".length()).strip(), 16);
            }
        }
        throw new AssertionError("no SigIgn in /proc/" + pid + "/status");
    }

    @Test
    @Order(100)
    void theTargetIsUnchangedStillServingAndNoSidecarIsLeft() throws Exception {
        assertThat(podman("diff", TARGET)).isEqualTo(diffBefore);
        assertThat(Long.parseLong(podman("inspect", "--format", "{{.State.Pid}}", TARGET))).isEqualTo(targetPid);
        assertThat(Files.readString(Path.of("/proc/" + targetPid + "/mountinfo"))).isEqualTo(mountsBefore);
        assertThat(Podman.getWhenUp("http://127.0.0.1:" + port + "/").body()).contains("Hello from a distroless nginx");
        assertThat(sidecars()).isEmpty();
        assertThat(podman("ps", "-a", "--format", "{{.Names}}")).doesNotContain("distrolix-debug-");
    }
}
