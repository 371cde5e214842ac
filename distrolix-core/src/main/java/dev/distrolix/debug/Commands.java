package dev.distrolix.debug;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs short engine and kubectl queries (inspect, image exists, config) and captures what they print. */
final class Commands {
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The first non-blank line of stderr, else of stdout: engines put the cause there. */
        String firstLine() {
            for (String s : List.of(stderr, stdout)) {
                Optional<String> line = s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            return "exit " + exitCode + ", no message";
        }
    }

    private Commands() {}

    static Result run(List<String> argv) {
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new DebugException(argv, "cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            Drain out = Drain.start(p.getInputStream());
            Drain err = Drain.start(p.getErrorStream());
            if (!p.waitFor(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new DebugException(argv, String.join(" ", argv) + " did not answer within " + QUERY_TIMEOUT.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            throw new DebugException(argv, "cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DebugException(argv, "interrupted while running " + argv.get(0), e);
        }
    }

    /** The executable's path when {@code program} is found on {@code path} (a PATH value), as a shell would. */
    static Optional<Path> onPath(String program, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        private Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        static Drain start(InputStream in) {
            Drain d = new Drain(in);
            d.start();
            return d;
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buf);
            } catch (IOException ignored) {
                // the process went away; its exit code tells
            }
        }

        String text() throws InterruptedException {
            join(5_000); // the stream ends with the process, unless it left a child holding it open
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
