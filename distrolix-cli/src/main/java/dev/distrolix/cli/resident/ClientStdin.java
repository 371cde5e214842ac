package dev.distrolix.cli.resident;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The client's stdin, as a run in the resident JVM reads it: each read asks the client for at most that many bytes
 * ({@link Frames#STDIN_WANTED}), so nothing is taken from the client's stdin that a JVM of its own would have left
 * there (a command that reads no input reads none).
 */
final class ClientStdin extends InputStream {
    private static final int MAX_ASK = 64 * 1024;
    private final Frames.Writer writer;
    private final BlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
    private byte[] held = new byte[0];
    private int heldAt;
    private boolean ended;

    ClientStdin(Frames.Writer writer) {
        this.writer = writer;
    }

    /** The client's answer to an ask, from the thread that reads its frames; empty at the end of its stdin. */
    void answered(byte[] data) {
        answers.add(data);
    }

    @Override
    public synchronized int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (heldAt == held.length) {
            if (ended) {
                return -1;
            }
            writer.sendInt(Frames.STDIN_WANTED, Math.min(len, MAX_ASK));
            try {
                held = answers.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading stdin");
            }
            heldAt = 0;
            if (held.length == 0) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, held.length - heldAt);
        System.arraycopy(held, heldAt, b, off, n);
        heldAt += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return held.length - heldAt;
    }
}
