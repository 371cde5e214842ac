package dev.distrolix.cli.resident;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The resident JVM's wire format with {@code distrolix-client} (distrolix-cli/src/main/c): frames of one type byte, a
 * big-endian 32-bit length and that many bytes, both ways over one Unix-domain socket. The client sends its request
 * first (without a frame: {@link ResidentRequest}), then stdin's bytes when asked ({@link #STDIN_DATA}, empty at end
 * of input) and the signals it gets ({@link #SIGNAL}); the JVM sends output, asks for input, and ends with the exit
 * status, or refuses at once (busy, or another environment) and the client runs the command in a JVM of its own.
 *
 * <p>Reads and writes go straight to the channel: the streams {@link java.nio.channels.Channels} makes take the
 * channel's blocking lock for each call on Java 17, so a read waiting for the client's next frame would hold up
 * every write of output.
 */
final class Frames {
    /** JVM to client: bytes for stdout, for stderr. */
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    /** JVM to client: up to a 32-bit count of stdin's bytes, please. */
    static final byte STDIN_WANTED = 'I';
    /** JVM to client: the exit status (32 bits); the last frame. */
    static final byte EXIT = 'X';
    /** JVM to client, as the first frame: not served here (a message for the log); run the command elsewhere. */
    static final byte REFUSED = 'R';
    /** Client to JVM: stdin's bytes, as asked; none at end of input. */
    static final byte STDIN_DATA = 'D';
    /** Client to JVM, after {@link ResidentRun#ACCEPTED}: go on (the client waits for no one else now). */
    static final byte GO = 'G';
    /** Client to JVM: a signal the client got (32 bits: its number). */
    static final byte SIGNAL = 'S';
    /** The most a frame carries: the client's reads and the JVM's writes are smaller. */
    static final int MAX_FRAME = 1 << 20;

    private Frames() {
    }

    /** Writes whole frames; one writer at a time, so that frames from several threads never interleave. */
    static final class Writer {
        private final SocketChannel channel;
        private final ByteBuffer header = ByteBuffer.allocate(5);

        Writer(SocketChannel channel) {
            this.channel = channel;
        }

        synchronized void send(byte type, byte[] data, int off, int len) throws IOException {
            header.clear();
            header.put(type).putInt(len).flip();
            writeFully(header);
            writeFully(ByteBuffer.wrap(data, off, len));
        }

        void sendInt(byte type, int value) throws IOException {
            send(type, ByteBuffer.allocate(4).putInt(value).array(), 0, 4);
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    /** A frame read from the client. */
    record Frame(byte type, byte[] data) {
        int intValue() throws IOException {
            if (data.length != 4) {
                throw new IOException("a frame of type '" + (char) type + "' holds " + data.length + " bytes, not 4");
            }
            return ByteBuffer.wrap(data).getInt();
        }
    }

    /** The next frame, or null at the end of the stream between frames. */
    static Frame read(SocketChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(5);
        if (!readFully(channel, header, true)) {
            return null;
        }
        header.flip();
        byte type = header.get();
        int len = header.getInt();
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("a frame of " + Integer.toUnsignedString(len) + " bytes (at most " + MAX_FRAME + ")");
        }
        ByteBuffer data = ByteBuffer.allocate(len);
        readFully(channel, data, false);
        return new Frame(type, data.array());
    }

    /** Fills {@code b}; false when the stream ended before its first byte and {@code endOk}. */
    static boolean readFully(SocketChannel channel, ByteBuffer b, boolean endOk) throws IOException {
        boolean first = true;
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                if (first && endOk) {
                    return false;
                }
                throw new EOFException("the client's stream ended within a frame");
            }
            first = first && b.position() == 0;
        }
        return true;
    }
}
