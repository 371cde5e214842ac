package dev.distrolix.inspect.scan;

/**
 * Receives one file's bytes, in order, during the single streaming pass over the layers. Many
 * sinks can read the same file: the bytes are read once and handed to each in turn.
 */
public interface ContentSink {
    /** The next bytes; return false when no more are wanted (the sink then only gets {@link #end()}). */
    boolean accept(byte[] b, int off, int len);

    /** The file ended, or this sink stopped: finish up. */
    default void end() {}
}
