package dev.distrolix;

/** Text from outside (a file, an image, a registry) as a one-line message quotes it. */
public final class Printable {
    private Printable() {
    }

    /** The text with control characters (a newline in a name) escaped as {@code \xNN}: messages are one line. */
    public static String escaped(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** At most {@code max} characters of {@code text}, then how long it was: a value megabytes long stays readable. */
    public static String shortened(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "… (" + text.length() + " characters)";
    }

    /** {@link #shortened} then {@link #escaped}: a value from outside as a one-line message quotes it. */
    public static String shown(String text, int max) {
        return escaped(shortened(text, max));
    }
}
