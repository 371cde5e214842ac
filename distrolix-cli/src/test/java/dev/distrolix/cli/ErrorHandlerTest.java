package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.distrolix.DistrolixException;
import dev.distrolix.FailureException;
import dev.distrolix.InputException;
import dev.distrolix.ToolException;
import dev.distrolix.debug.DebugException;
import dev.distrolix.layering.LayeringException;
import dev.distrolix.nix.NixException;
import dev.distrolix.nix.NixInputException;
import dev.distrolix.nix.NixNotFoundException;
import dev.distrolix.registry.RegistryException;
import dev.distrolix.spec.SourceLocation;
import dev.distrolix.spec.SpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The exit code and the stderr line each kind of exception gives; fast, no external tools. */
class ErrorHandlerTest {
    @TempDir
    Path tmp;

    /** A stand-in for the distrolix command: the same inherited --debug, a subcommand that throws. */
    @Command(name = "distrolix", subcommands = Top.Boom.class)
    static final class Top {
        static Exception toThrow;

        @Option(names = "--debug", scope = ScopeType.INHERIT)
        boolean debug;

        @Command(name = "boom")
        static final class Boom implements Callable<Integer> {
            @Override
            public Integer call() throws Exception {
                throw toThrow;
            }
        }
    }

    private static Cli handle(Exception e, String... args) {
        Top.toThrow = e;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Top());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler(new ErrorHandler(false));
        int rc = cl.execute(args.length == 0 ? new String[] {"boom"} : args);
        return new Cli(rc, out.toString(), err.toString());
    }

    private static void assertOneLine(Cli r, int exitCode, String line) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exitCode);
        assertThat(r.err().strip()).isEqualTo(line);
    }

    @Test
    void inputErrorsExit3WithTheirMessage() {
        assertOneLine(handle(new InputException("--older-than: expected a number, got 'x'")), 3,
                "distrolix: --older-than: expected a number, got 'x'");
        assertOneLine(handle(new SpecException(new SourceLocation(Path.of("image.yaml"), 2, 1), "packages", "not a list")),
                3, "distrolix: image.yaml:2:1: packages: not a list");
        assertOneLine(handle(new LayeringException("unknown layering strategy 'magic'")), 3,
                "distrolix: unknown layering strategy 'magic'");
        assertOneLine(handle(new NixInputException(List.of("nix-build"), "attribute 'nope' not found in <nixpkgs>",
                "error: long\ntrace")), 3, "distrolix: attribute 'nope' not found in <nixpkgs>");
    }

    @Test
    void toolFailuresExit1NamingTheCommand() {
        ToolException e = new ToolException(List.of("podman", "container", "inspect", "web"),
                "podman container inspect web failed: " + ToolException.tail("a\n\nno such container\nexit 125\n", 2));
        assertOneLine(handle(e), 1, "distrolix: podman container inspect web failed: no such container | exit 125");
        assertOneLine(handle(new NixException(List.of("/usr/bin/nix-build", "x.nix"), "nix-build failed: boom", "log")), 1,
                "distrolix: nix-build failed: boom");
        assertOneLine(handle(new NixNotFoundException("nix-build", "Nix is not installed (nix-build not found on PATH)")), 1,
                "distrolix: Nix is not installed (nix-build not found on PATH)");
        assertOneLine(handle(new DebugException(List.of("kubectl", "config"), "kubectl has no cluster to talk to")), 1,
                "distrolix: kubectl has no cluster to talk to");
        assertOneLine(handle(new FailureException("cannot write /out: permission denied")), 1,
                "distrolix: cannot write /out: permission denied");
    }

    @Test
    void withDebugAToolFailureAlsoShowsItsCommandAndTrace() {
        Cli r = handle(new ToolException(List.of("podman", "run", "x"), "podman run x failed: boom"), "boom", "--debug");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("distrolix: podman run x failed: boom\ndistrolix: command: podman run x\n")
                .contains("dev.distrolix.ToolException: podman run x failed: boom", "\tat ");
    }

    @Test
    void registryErrorsExit1() {
        RegistryException e = new RegistryException("127.0.0.1:5000", "nginx", "uploading blob", 401, "UNAUTHORIZED",
                "authentication required", null, null, null);
        assertThat(e).isInstanceOf(DistrolixException.class);
        assertOneLine(handle(e), 1, "distrolix: 127.0.0.1:5000/nginx: uploading blob: HTTP 401 UNAUTHORIZED: "
                + "authentication required");
    }

    @Test
    void otherIOExceptionsExit1OnOneLine() {
        assertOneLine(handle(new IOException("disk full\nsecond line")), 1, "distrolix: disk full");
        assertOneLine(handle(new UncheckedIOException(new IOException("cannot read x"))), 1, "distrolix: cannot read x");
    }

    @Test
    void anIllegalArgumentExceptionIsAnInternalErrorWithoutATrace() {
        Cli r = handle(new IllegalArgumentException("maxAttempts must be at least 1"));
        assertOneLine(r, 1, "distrolix: internal error: java.lang.IllegalArgumentException: maxAttempts must be at least 1"
                + " (run with --debug for the trace)");
        assertThat(r.err()).doesNotContain("\tat ");
        assertOneLine(handle(new NullPointerException()), 1,
                "distrolix: internal error: java.lang.NullPointerException (run with --debug for the trace)");
        assertOneLine(handle(new IllegalStateException("impossible")), 1,
                "distrolix: internal error: java.lang.IllegalStateException: impossible (run with --debug for the trace)");
    }

    @Test
    void debugOnTheTopCommandOrTheSubcommandPrintsTheTrace() {
        for (String[] args : List.of(new String[] {"--debug", "boom"}, new String[] {"boom", "--debug"})) {
            Cli r = handle(new IllegalArgumentException("bug"), args);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).startsWith("distrolix: internal error: java.lang.IllegalArgumentException: bug\n")
                    .contains("java.lang.IllegalArgumentException: bug", "\tat ")
                    .doesNotContain("run with --debug");
        }
    }

    @Test
    void theEnvironmentVariableStillTurnsDebugOn() {
        Top.toThrow = new IllegalArgumentException("bug");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Top());
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler(new ErrorHandler(true));
        assertThat(cl.execute("boom")).isEqualTo(1);
        assertThat(err.toString()).contains("\tat ");
    }

    @Test
    void anIllegalArgumentExceptionFromAnyPackageIsABug() {
        IllegalArgumentException fromTransport = new IllegalArgumentException("x");
        fromTransport.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("dev.distrolix.transport.ImageReference", "parse", "ImageReference.java", 1)});
        Cli r = handle(fromTransport);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("internal error: java.lang.IllegalArgumentException: x");
    }

    @Test
    void theRealCliAcceptsDebugAnywhereAndMapsAnInputErrorTo3() {
        assumeTrue(System.getenv("DISTROLIX_DEBUG") == null, "DISTROLIX_DEBUG is set");
        Cli plain = Cli.run("cache", "--cache-dir", tmp.toString(), "prune", "--older-than", "soon");
        assertOneLine(plain, 3, "distrolix: --older-than: expected a number and s, m, h or d (e.g. 7d), got 'soon'");
        Cli top = Cli.run("--debug", "cache", "--cache-dir", tmp.toString(), "prune", "--older-than", "soon");
        assertThat(top.exitCode()).isEqualTo(3);
        assertThat(top.err()).startsWith("distrolix: --older-than:").contains("dev.distrolix.InputException", "\tat ");
        Cli sub = Cli.run("cache", "--cache-dir", tmp.toString(), "prune", "--older-than", "soon", "--debug");
        assertThat(sub.exitCode()).isEqualTo(3);
        assertThat(sub.err()).contains("\tat ");
        assertOneLine(Cli.run("cache", "--cache-dir", tmp.toString(), "prune", "--older-than", "99999999999999999999d"), 3,
                "distrolix: --older-than: '99999999999999999999d' is too long an age");
    }

    @Test
    void usageErrorsStayExit2() {
        Cli r = Cli.run("cache", "prune", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(DistrolixException.EXIT_USAGE);
        assertThat(r.err()).startsWith("distrolix: Unknown option: '--no-such-option'");
        assertThat(Cli.run("--help").out()).contains("--debug");
    }
}
