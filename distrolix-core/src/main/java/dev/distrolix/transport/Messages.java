package dev.distrolix.transport;

/** The wording of errors every transport shares, so each command says the same thing. */
final class Messages {
    private Messages() {}

    static String noTag(String tag, String tags) {
        return "no image tagged '" + tag + "' (tags: " + (tags.isEmpty() ? "none" : tags) + ")";
    }

    static String severalImages(int n, String tags) {
        return "holds " + n + " images; name one with :TAG (tags: " + (tags.isEmpty() ? "none" : tags) + ")";
    }

    static String noSuchFile(String what) {
        return "no such " + what;
    }
}
