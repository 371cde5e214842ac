package dev.distrolix.spec;

/**
 * Checks of absolute paths inside the image ({@code paths[].path}, {@code profile.prefix}, volumes). Paths
 * are kept as strings: they name places in the image, not on this machine, and must not be touched by the
 * host's path rules.
 */
final class ImagePaths {
    static final int PATH_MAX = 4096;
    static final int NAME_MAX = 255;
    /** How much of a long value a message quotes. */
    private static final int SHOWN = 80;

    private ImagePaths() {
    }

    /** {@code text} as a message quotes it: at most {@value #SHOWN} characters, then how long it is. */
    static String shown(String text) {
        return dev.distrolix.Printable.shortened(text, SHOWN);
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * The path without a trailing '/', or an error if it is relative, has empty, '.' or '..' segments or
     * control characters. "/" itself is accepted only when {@code allowRoot}.
     */
    static String checkedAbsolute(String text, SpecValue at, boolean allowRoot) {
        if (!text.startsWith("/")) {
            throw at.error("'" + shown(text) + "' must be an absolute path");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw at.error("'" + shown(text).replaceAll("\\p{Cntrl}", "?") + "' contains control characters");
        }
        // Linux's bounds (PATH_MAX, NAME_MAX): a longer path could not be made in a container, and a path's depth
        // bounds the recursion of the layer's tree
        if (utf8Length(text) >= PATH_MAX) {
            throw at.error("'" + shown(text) + "' is longer than " + (PATH_MAX - 1) + " bytes");
        }
        String path = text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        if (path.equals("/")) {
            if (!allowRoot) {
                throw at.error("'/' cannot be declared here; it is always the image's root directory");
            }
            return path;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                throw at.error("'" + shown(text) + "' contains an empty segment ('//')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw at.error("'" + shown(text) + "' must not contain '.' or '..' segments");
            }
            if (utf8Length(segment) > NAME_MAX) {
                throw at.error("'" + shown(text) + "' has a name longer than " + NAME_MAX + " bytes");
            }
        }
        return path;
    }

    /** Whether {@code path} is {@code ancestor} or below it. */
    static boolean isAtOrBelow(String path, String ancestor) {
        return path.equals(ancestor) || ancestor.equals("/") || path.startsWith(ancestor + "/");
    }

    /**
     * Whether a symlink at {@code path} with this target, resolved lexically inside the image (absolute targets
     * from the root, relative ones from the link's folder), climbs above the root: the rule image readers
     * ({@code distrolix inspect}) refuse such links by.
     */
    static boolean escapesRoot(String path, String target) {
        // the link's folder: "/a/b/link" is 2 deep; an absolute target starts at the root
        int depth = target.startsWith("/") ? 0 : Math.max(0, path.split("/").length - 2);
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            depth += part.equals("..") ? -1 : 1;
            if (depth < 0) {
                return true;
            }
        }
        return false;
    }
}
