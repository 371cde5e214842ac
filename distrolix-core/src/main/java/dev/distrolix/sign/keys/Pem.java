package dev.distrolix.sign.keys;

import dev.distrolix.InputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM armour of both key files: {@code -----BEGIN TYPE-----}, base64 in 64-column lines (what Go's
 * {@code encoding/pem} writes), {@code -----END TYPE-----}. Like Go's reader, the first block counts and
 * text around it is ignored.
 */
final class Pem {
    /** Key files are a few hundred bytes; the bound keeps a wrong path (a log, an image) from being parsed. */
    static final int MAX_BYTES = 64 << 10;

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([\\x20-\\x2c\\x2e-\\x7e]{1,80})-----[ \\t]*\\r?\\n"
                    + "([A-Za-z0-9+/=\\s]*?)"
                    + "-----END \\1-----");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** One decoded block: its type and the bytes of its body. */
    record Block(String type, byte[] body) {}

    private Pem() {}

    static String encode(String type, byte[] body) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(body);
        return "-----BEGIN " + type + "-----\n" + base64 + (base64.isEmpty() ? "" : "\n")
                + "-----END " + type + "-----\n";
    }

    /** The first PEM block of {@code content}; anything else is an {@link InputException} naming {@code source}. */
    static Block decode(String source, byte[] content) {
        checkSize(source, content.length);
        // ISO-8859-1 maps every byte to one char, so binary junk cannot fail decoding; PEM is ASCII
        String text = new String(content, StandardCharsets.ISO_8859_1);
        Matcher m = BLOCK.matcher(text);
        if (!m.find()) {
            throw new InputException(source + ": not PEM (" + (text.contains("-----BEGIN ")
                    ? "a -----BEGIN line without its matching -----END line, or a body that is not base64"
                    : "no -----BEGIN line") + ")");
        }
        String base64 = WHITESPACE.matcher(m.group(2)).replaceAll("");
        try {
            return new Block(m.group(1), Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new InputException(source + ": corrupt (the PEM body is not valid base64)");
        }
    }

    static void checkSize(String source, long size) {
        if (size > MAX_BYTES) {
            throw new InputException(source + ": too large for a key file (" + size + " bytes, at most "
                    + MAX_BYTES + ")");
        }
    }

    /** A type read from a file, safe to show on one line. */
    static String printable(String type) {
        return type.length() > 40 ? type.substring(0, 40) + "…" : type;
    }
}
