package dev.distrolix.inspect;

import dev.distrolix.blob.Digest;

/**
 * One file of an image's filesystem as a tar header describes it. {@code path} is absolute and
 * normalized ({@code /etc/passwd}, no trailing '/'); {@code mode} holds the permission bits
 * including setuid/setgid/sticky (07777); {@code size} is the content length of a regular file and
 * 0 for everything else; {@code linkTarget} is the symlink target as stored (never resolved on the
 * host) or the absolute path a hard link points to; {@code sha256} is the content digest of a
 * regular file (of the linked file for a hard link), computed while streaming, else null;
 * {@code storeRefSha256}, for files outside /nix/store that name store paths, is the digest with
 * the store hashes masked (equal for two files that differ only in which build they reference),
 * else null; {@code layer} is the 0-based index of the layer the entry comes from.
 */
public record FsEntry(String path, Type type, int mode, long uid, long gid, long size, String linkTarget,
                      Digest sha256, Digest storeRefSha256, int layer) {
    /** File types, with the letter {@code ls -l} and {@code tar -tv} print. */
    public enum Type {
        FILE('-'), DIRECTORY('d'), SYMLINK('l'), HARDLINK('h'), CHAR_DEVICE('c'), BLOCK_DEVICE('b'), FIFO('p');

        private final char letter;

        Type(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }
    }

    public static final int SETUID = 04000;
    public static final int SETGID = 02000;
    public static final int STICKY = 01000;

    public boolean isSetuid() {
        return type == Type.FILE && (mode & SETUID) != 0;
    }

    public boolean isSetgid() {
        return type == Type.FILE && (mode & SETGID) != 0;
    }

    /** Regular file with any execute bit. */
    public boolean isExecutable() {
        return type == Type.FILE && (mode & 0111) != 0;
    }

    /** The last path component. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code -rwsr-xr-x} etc., as {@code ls -l} shows it. */
    public String modeString() {
        StringBuilder sb = new StringBuilder(10).append(type.letter());
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        special(sb, 3, SETUID, 's');
        special(sb, 6, SETGID, 's');
        special(sb, 9, STICKY, 't');
        return sb.toString();
    }

    private void special(StringBuilder sb, int pos, int bit, char c) {
        if ((mode & bit) != 0) {
            sb.setCharAt(pos, sb.charAt(pos) == '-' ? Character.toUpperCase(c) : c);
        }
    }

    /** The digest to compare when store path renames are accounted for elsewhere. */
    public Digest contentIgnoringStoreHashes() {
        return storeRefSha256 != null ? storeRefSha256 : sha256;
    }
}
