package dev.distrolix.spec;

import java.util.regex.Pattern;

/**
 * The path of keys and list indices from the document root to a value, as shown in error messages:
 * {@code accounts.users[1].uid}. Indices are 0-based like the list positions in JSON tools; keys that are not
 * plain words (label keys full of dots) are quoted so that the path stays unambiguous.
 */
record KeyPath(String text) {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    static final KeyPath ROOT = new KeyPath("");

    KeyPath key(String key) {
        if (!PLAIN_KEY.matcher(key).matches()) {
            return new KeyPath(text + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]");
        }
        return new KeyPath(text.isEmpty() ? key : text + "." + key);
    }

    KeyPath index(int index) {
        return new KeyPath(text + "[" + index + "]");
    }

    @Override
    public String toString() {
        return text;
    }
}
