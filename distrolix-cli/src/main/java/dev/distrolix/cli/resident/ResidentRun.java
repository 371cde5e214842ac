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

    void serve() {
        try (channel) {
            ResidentRequest request;
            try {
                request = ResidentRequest.read(channel, charset());
            } catch (IOException e) {
                log.accept("refused a request: " + e.getMessage());
                return;
            }
            String difference = request.differenceFrom(System.getProperty("user.dir"), umask, System.getenv());
            if (difference != null) {
                byte[] b = difference.getBytes(StandardCharsets.UTF_8);
                writer.send(Frames.REFUSED, b, 0, b.length);
                log.accept("refused a run: " + difference);
                return;
            }
            writer.send(ACCEPTED, new byte[0], 0, 0);
            long start = System.nanoTime();
            int rc = run(request);
            finished.set(true);
            writer.sendInt(Frames.EXIT, rc);
            String name = request.args().isEmpty() ? "(no command)" : commandName(request.args().get(0));
            log.accept(name + ": exit " + rc + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (IOException e) {
            log.accept("lost a client: " + e.getMessage());
        }
    }

    private int run(ResidentRequest request) {
        ClientStdin stdin = new ClientStdin(writer);
        Thread reader = new Thread(() -> readClient(stdin), "distrolix-resident-client");
        reader.setDaemon(true);
        reader.start();
        PrintStream out = new PrintStream(new FrameOutputStream(writer, Frames.STDOUT), true);
        PrintStream err = new PrintStream(new FrameOutputStream(writer, Frames.STDERR), true);
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

    private static Charset charset() {
        String jnu = System.getProperty("sun.jnu.encoding");
        try {
            return jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
