package dev.distrolix.cli.resident;

import java.io.IOException;
import java.io.OutputStream;

/** A run's stdout or stderr in the resident JVM: each write is a frame of its type to the client. */
final class FrameOutputStream extends OutputStream {
    private final Frames.Writer writer;
    private final byte type;

    FrameOutputStream(Frames.Writer writer, byte type) {
        this.writer = writer;
        this.type = type;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        for (int at = off, end = off + len; at < end; at += Frames.MAX_FRAME) {
            writer.send(type, b, at, Math.min(Frames.MAX_FRAME, end - at));
        }
    }
}
