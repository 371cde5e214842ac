package dev.distrolix.blob;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A decoder of raw deflate data (RFC 1951), one stream at a time, fed input as {@link Inflater} is: ISA-L's where its
 * library is there ({@link IsalInflater}), else the JDK's. {@link GzipMembersInputStream} reads the gzip framing
 * around it.
 */
sealed interface RawInflater permits RawInflater.Jdk, IsalInflater {
    /** ISA-L's where its library loads and decodes its sample, else the JDK's. */
    static RawInflater create() {
        return IsalInflater.USABLE ? new IsalInflater() : new Jdk();
    }

    /** Input to decode next: {@code b[off, off + len)}, read in place until it is used up. */
    void setInput(byte[] b, int off, int len);

    /** Decodes into {@code b[off, off + len)}; the bytes written, 0 when it needs input or has ended. */
    int inflate(byte[] b, int off, int len) throws IOException;

    /** The deflate data has ended. */
    boolean finished();

    /** All input given is used and more is needed to go on. */
    boolean needsInput();

    /** The bytes of the last input not used: after {@link #finished()}, those after the deflate data. */
    int remaining();

    /**
     * After {@link #finished()}: bytes past the deflate data it took from inputs before the last, which come before
     * the last input's {@link #remaining()} ones (ISA-L reads ahead 8 bytes at a time); none for the JDK's.
     */
    byte[] readAhead();

    /** Readies it for another stream. */
    void reset();

    /** Frees what it holds; not used again. */
    void end();

    /** The JDK's {@link Inflater} (its zlib). */
    final class Jdk implements RawInflater {
        private final Inflater inflater = new Inflater(true);

        @Override
        public void setInput(byte[] b, int off, int len) {
            inflater.setInput(b, off, len);
        }

        @Override
        public int inflate(byte[] b, int off, int len) throws IOException {
            try {
                int n = inflater.inflate(b, off, len);
                if (n == 0 && inflater.needsDictionary()) {
                    throw new IOException("Gzip-compressed data is corrupt (a deflate stream asks for a dictionary)");
                }
                return n;
            } catch (DataFormatException e) {
                throw new IOException("Gzip-compressed data is corrupt (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public boolean finished() {
            return inflater.finished();
        }

        @Override
        public boolean needsInput() {
            return inflater.needsInput();
        }

        @Override
        public int remaining() {
            return inflater.getRemaining();
        }

        /** The JDK's inflater reads no byte past a member's end; shared, since nobody writes to it. */
        private static final byte[] NONE = new byte[0];

        @Override
        public byte[] readAhead() {
            return NONE;
        }

        @Override
        public void reset() {
            inflater.reset();
        }

        @Override
        public void end() {
            inflater.end();
        }
    }
}
