package dev.distrolix.inspect.audit;

import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.LayerInfo;
import dev.distrolix.inspect.TarEntry;
import dev.distrolix.inspect.scan.ContentSink;
import dev.distrolix.inspect.scan.ScanCollector;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The few bytes of files the audit reads: the {@code #!} line of executable scripts (to check
 * their interpreter exists), the account files (to map a User name to its uid), and, for files
 * named busybox*, which applets the binary carries (its NUL-separated applet name table).
 */
final class FileHeads implements ScanCollector {
    static final Set<String> ACCOUNT_FILES = Set.of("/etc/passwd", "/etc/group");
    private static final int SHEBANG_MAX = 256;
    private static final int ACCOUNTS_MAX = 1 << 20;

    private record Kept(int layer, String text) {}

    private final Map<String, Kept> shebangs = new HashMap<>();
    private final Map<String, Kept> accounts = new HashMap<>();
    private final Map<String, Kept> busybox = new HashMap<>();
    private final Set<String> applets;

    FileHeads(Set<String> appletsOfInterest) {
        this.applets = appletsOfInterest;
    }

    @Override
    public ContentSink open(LayerInfo layer, TarEntry file) {
        if (ACCOUNT_FILES.contains(file.path())) {
            return collect(ACCOUNTS_MAX, text -> accounts.put(file.path(), new Kept(layer.index(), text)), false);
        }
        if (file.name().startsWith("busybox") && (file.mode() & 0111) != 0) {
            return new AppletFinder(layer.index(), file.path());
        }
        if ((file.mode() & 0111) != 0 && file.size() > 2) {
            return collect(SHEBANG_MAX, text -> {
                if (text.startsWith("#!")) {
                    int nl = text.indexOf('\n');
                    shebangs.put(file.path(), new Kept(layer.index(), nl < 0 ? text : text.substring(0, nl)));
                }
            }, true);
        }
        return null;
    }

    /** The {@code #!} line of a script (without "#!"), or null. */
    String shebang(FsEntry e) {
        Kept k = e == null ? null : shebangs.get(e.path());
        return k != null && k.layer() == e.layer() ? k.text().substring(2).strip() : null;
    }

    /** The text of /etc/passwd or /etc/group as the merged filesystem has it, or null. */
    String account(FsEntry e) {
        Kept k = e == null ? null : accounts.get(e.path());
        return k != null && k.layer() == e.layer() ? k.text() : null;
    }

    /** The applets of interest a busybox binary lists, space-separated; null if it is not one. */
    String applets(FsEntry e) {
        Kept k = e == null ? null : busybox.get(e.path());
        return k != null && k.layer() == e.layer() ? k.text() : null;
    }

    private static ContentSink collect(int max, java.util.function.Consumer<String> done, boolean shebang) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        return new ContentSink() {
            @Override
            public boolean accept(byte[] b, int off, int len) {
                if (shebang && buf.size() == 0 && len >= 1 && b[off] != '#') {
                    return false;
                }
                buf.write(b, off, Math.min(len, max - buf.size()));
                return buf.size() < max;
            }

            @Override
            public void end() {
                done.accept(buf.toString(StandardCharsets.UTF_8));
            }
        };
    }

    /** Looks for "\0NAME\0" of each applet of interest in a busybox binary, across chunk borders. */
    private final class AppletFinder implements ContentSink {
        private final int layer;
        private final String path;
        private final java.util.TreeSet<String> found = new java.util.TreeSet<>();
        private String carry = "";
        private boolean elf;
        private long seen;

        AppletFinder(int layer, String path) {
            this.layer = layer;
            this.path = path;
        }

        @Override
        public boolean accept(byte[] b, int off, int len) {
            if (seen == 0) {
                elf = len >= 4 && b[off] == 0x7f && b[off + 1] == 'E' && b[off + 2] == 'L' && b[off + 3] == 'F';
                if (!elf) {
                    return false;
                }
            }
            seen += len;
            String text = carry + new String(b, off, len, StandardCharsets.ISO_8859_1);
            for (String a : applets) {
                if (!found.contains(a) && text.contains("\0" + a + "\0")) {
                    found.add(a);
                }
            }
            carry = text.substring(Math.max(0, text.length() - 32));
            return true;
        }

        @Override
        public void end() {
            if (elf) {
                busybox.put(path, new Kept(layer, String.join(" ", found)));
            }
        }
    }
}
