package dev.distrolix.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * What distrolix prints to a terminal, with control characters shown as {@code ?}: reports quote what images and
 * registries say (file names, users, commands, error bodies), and an escape sequence in them would act on the
 * user's terminal (clear it, retitle it, recolour what follows, hide a line). Line feeds and tabs pass; carriage
 * returns only where {@code allowReturn} (the progress line on standard error redraws itself with them). Masked
 * whether the stream is a terminal or not: a report piped to a file reads the same.
 */
final class TerminalSafeWriter extends FilterWriter {
    private final boolean allowReturn;

    TerminalSafeWriter(Writer out, boolean allowReturn) {
        super(out);
        this.allowReturn = allowReturn;
    }

    /** Whether {@code c} is written as {@code ?}: C0 and C1 controls and DEL, but line feeds, tabs and (allowed) returns. */
    static boolean masked(char c, boolean allowReturn) {
        if (c == '\n' || c == '\t' || (c == '\r' && allowReturn)) {
            return false;
        }
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** {@code line} with what {@link #masked(char, boolean)} masks (returns included) as {@code ?}. */
    static String masked(String line) {
        char[] chars = line.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (masked(chars[i], false)) {
                chars[i] = '?';
            }
        }
        return new String(chars);
    }

    @Override
    public void write(int c) throws IOException {
        out.write(masked((char) c, allowReturn) ? '?' : c);
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        char[] copy = null;
        for (int i = 0; i < len; i++) {
            if (masked(cbuf[off + i], allowReturn)) {
                if (copy == null) {
                    copy = java.util.Arrays.copyOfRange(cbuf, off, off + len);
                }
                copy[i] = '?';
            }
        }
        if (copy == null) {
            out.write(cbuf, off, len);
        } else {
            out.write(copy, 0, len);
        }
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        char[] chars = new char[len];
        str.getChars(off, off + len, chars, 0);
        write(chars, 0, len);
    }
}
