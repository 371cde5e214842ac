package dev.distrolix.nix;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code system} field of a store derivation ({@code .drv}), read from the file itself: Nix writes it in
 * ATerm, {@code Derive([outputs],[inputDrvs],[inputSrcs],"system","builder",[args],[env])}. Reading the
 * file costs a millisecond where {@code nix show-derivation} costs a Nix process (~0.05 s of a build's CPU,
 * one per platform). Anything unexpected (another format, a file that is gone, a field that is not a string)
 * gives empty, and the caller asks Nix instead.
 */
public final class DerivationFile {
    /** Outputs, input derivations and sources come first: even thousands of inputs are far below this. */
    static final int MAX_CHARS_BEFORE_SYSTEM = 8 << 20;

    private DerivationFile() {}

    /** The system the derivation at {@code drv} is built for, or empty when the file cannot say. */
    public static Optional<String> system(Path drv) {
        if (!Files.isRegularFile(drv)) {
            return Optional.empty(); // a folder, or a FIFO that would never end
        }
        // ISO-8859-1: every byte is a char, so no input is malformed; the system and the syntax are ASCII
        try (Reader r = Files.newBufferedReader(drv, StandardCharsets.ISO_8859_1)) {
            return system(r);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The systems of the derivations {@code closure} names as the derivers of {@code outputs}, for those whose
     * derivation file can be read; the others are left out.
     */
    public static java.util.Map<StorePath, String> systemsOf(java.util.Collection<StorePath> outputs, Closure closure) {
        java.util.Map<StorePath, String> systems = new java.util.LinkedHashMap<>();
        for (StorePath o : outputs) {
            StorePath drv = closure.contains(o) ? closure.info(o).deriver() : null;
            if (drv != null) {
                system(Path.of(drv.fullPath())).ifPresent(s -> systems.put(o, s));
            }
        }
        return systems;
    }

    /** The same, from the text of a derivation. */
    static Optional<String> system(Reader in) throws IOException {
        Scanner s = new Scanner(in);
        for (char c : "Derive(".toCharArray()) {
            if (s.next() != c) {
                return Optional.empty();
            }
        }
        for (int field = 0; field < 3; field++) {
            if (!s.skipValue() || s.next() != ',') {
                return Optional.empty();
            }
        }
        if (s.next() != '"') {
            return Optional.empty();
        }
        StringBuilder system = new StringBuilder();
        for (int c = s.next(); c != '"'; c = s.next()) {
            if (c < 0 || c == '\\' || system.length() > 256) {
                return Optional.empty(); // no system name needs an escape or that much room
            }
            system.append((char) c);
        }
        return system.isEmpty() || s.next() != ',' ? Optional.empty() : Optional.of(system.toString());
    }

    /** Characters one at a time, at most {@link #MAX_CHARS_BEFORE_SYSTEM} of them (then end of input, -1). */
    private static final class Scanner {
        private final Reader in;
        private int read;

        Scanner(Reader in) {
            this.in = in;
        }

        int next() throws IOException {
            return read++ >= MAX_CHARS_BEFORE_SYSTEM ? -1 : in.read();
        }

        /** Skips one value: a string, or a list or tuple of values. False on malformed input. */
        boolean skipValue() throws IOException {
            return skipValue(next(), 0);
        }

        /** The value that starts with {@code c}; a derivation nests three deep, more is not one. */
        private boolean skipValue(int c, int depth) throws IOException {
            if (c == '"') {
                return skipStringRest();
            }
            if ((c != '[' && c != '(') || depth > 8) {
                return false;
            }
            char close = c == '[' ? ']' : ')';
            int d = next();
            if (d == close) {
                return true;
            }
            while (skipValue(d, depth + 1)) {
                d = next();
                if (d == close) {
                    return true;
                }
                if (d != ',') {
                    return false;
                }
                d = next();
            }
            return false;
        }

        /** After the opening quote: up to and including the closing one, escapes skipped. */
        private boolean skipStringRest() throws IOException {
            for (int c = next(); c != '"'; c = next()) {
                if (c < 0) {
                    return false;
                }
                if (c == '\\' && next() < 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
