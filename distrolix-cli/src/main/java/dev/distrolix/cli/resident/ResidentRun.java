package dev.distrolix.cli.resident;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client's run in the resident JVM: reads its request, refuses it when this JVM's process state is not the
 * client's, else says so ({@link #ACCEPTED}: from then on the client never runs the command itself) and runs the
 * command with the client's streams as System.out, System.err and System.in, then sends its exit status.
 */
final class ResidentRun {
    /** JVM to client: the request is taken, its output follows. */
    static final byte ACCEPTED = 'A';

    private final SocketChannel channel;
    private final int umask;
    private final Consumer<String> log;
    private final Frames.Writer writer;
    private final AtomicBoolean finished = new AtomicBoolean();

    ResidentRun(SocketChannel channel, int umask, Consumer<String> log) {
        this.channel = channel;
        this.umask = umask;
        this.log = log;
        this.writer = new Frames.Writer(channel);
    }

    /** Serves the client; whether the run ended in an Error (then this JVM should not serve another). */
    boolean serve() {
        try (channel) {
            // a client has ten seconds to say what it wants and to say go: one that does not holds this JVM no longer
            AtomicBoolean answered = new AtomicBoolean();
            Thread deadline = new Thread(() -> {
                try {
                    Thread.sleep(10_000);
                    if (!answered.get()) {
                        channel.close();
                    }
                } catch (InterruptedException | IOException e) {
                    // the run goes on
                }
            }, "distrolix-resident-deadline");
            deadline.setDaemon(true);
            deadline.start();
            ResidentRequest request;
            try {
                request = ResidentRequest.read(channel, charset("sun.jnu.encoding"));
            } catch (IOException e) {
                log.accept("refused a request: " + e.getMessage());
                return false;
            }
            String difference = request.differenceFrom(System.getProperty("user.dir"), umask, System.getenv());
            if (difference == null) {
                difference = sameFolder(request.cwd());
            }
            if (difference == null) {
                difference = ResidentRequest.ownDescriptors(request.args());
            }
            if (difference != null) {
                byte[] b = difference.getBytes(StandardCharsets.UTF_8);
                writer.send(Frames.REFUSED, b, 0, b.length);
                log.accept("refused a run: " + difference);
                return false;
            }
            writer.send(ACCEPTED, new byte[0], 0, 0);
            Frames.Frame go = Frames.read(channel);
            answered.set(true);
            deadline.interrupt();
            if (go == null || go.type() != Frames.GO) {
                log.accept("refused a run: the client did not say go");
                return false;
            }
            long start = System.nanoTime();
            int rc = run(request);
            finished.set(true);
            writer.sendInt(Frames.EXIT, rc);
            String name = request.args().isEmpty() ? "(no command)" : commandName(request.args().get(0));
            log.accept(name + ": exit " + rc + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (IOException e) {
            log.accept("lost a client: " + e.getMessage());
        }
        return dev.distrolix.cli.Distrolix.endedInError();
    }

    /**
     * Null when the client's working directory is this JVM's: the same name, and the same folder under it (a folder
     * removed and made again under the same name is another, where this JVM's relative paths would still go to the
     * removed one).
     */
    static String sameFolder(String cwd) {
        Object own = ResidentServer.fileKey(java.nio.file.Path.of("."));
        Object theirs = ResidentServer.fileKey(java.nio.file.Path.of(cwd));
        return own == null || theirs == null ? "its working directory is gone"
                : own.equals(theirs) ? null : "another working directory under the same name";
    }

    private int run(ResidentRequest request) {
        ClientStdin stdin = new ClientStdin(writer);
        Thread reader = new Thread(() -> readClient(stdin), "distrolix-resident-client");
        reader.setDaemon(true);
        reader.start();
        PrintStream out = new PrintStream(new FrameOutputStream(writer, Frames.STDOUT), true, charset("stdout.encoding"));
        PrintStream err = new PrintStream(new FrameOutputStream(writer, Frames.STDERR), true, charset("stderr.encoding"));
        PrintStream ownOut = System.out;
        PrintStream ownErr = System.err;
        InputStream ownIn = System.in;
        System.setOut(out);
        System.setErr(err);
        System.setIn(stdin);
        try {
            return dev.distrolix.cli.Distrolix.run(out, err, request.console(), request.args().toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
            System.setOut(ownOut);
            System.setErr(ownErr);
            System.setIn(ownIn);
        }
    }

    /**
     * The client's frames while its command runs: stdin's bytes, signals. A signal ends this JVM as it would have
     * ended the client's own (its shutdown hooks run; exit status 128 + the signal's number), and so does a client
     * that goes away mid-run (killed, or its terminal closed): the run stops instead of going on unseen.
     */
    private void readClient(ClientStdin stdin) {
        try {
            for (Frames.Frame f; (f = Frames.read(channel)) != null; ) {
                if (f.type() == Frames.STDIN_DATA) {
                    stdin.answered(f.data());
                } else if (f.type() == Frames.SIGNAL && !finished.get()) {
                    int signal = f.intValue();
                    log.accept("stopping: the client got signal " + signal + " mid-run");
                    end(128 + (signal & 0x7f));
                }
            }
        } catch (IOException e) {
            // as the end of the stream
        }
        if (!finished.get()) {
            log.accept("stopping: the client went away mid-run");
            end(129);
        }
    }

    /**
     * Ends this JVM mid-run: first the processes the run started (Nix), which in a JVM of the run's own would have
     * had the terminal's signal too (they were in its process group; here they are in this JVM's session).
     */
    private static void end(int status) {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
        System.exit(status);
    }

    /** The command's name for the log: a word of letters, else a mark (an argument may be a password). */
    static String commandName(String first) {
        return first.matches("-{0,2}[a-z][a-z-]{0,20}") ? first : "(another command)";
    }

    /**
     * The charset a system property names, else the default charset: {@code sun.jnu.encoding} (what the JVM decodes
     * its own arguments and environment with), {@code stdout.encoding} and {@code stderr.encoding} (Java 18+: what a
     * JVM of the run's own gives System.out and System.err; Java 17 uses the default).
     */
    private static Charset charset(String property) {
        String name = System.getProperty(property);
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
