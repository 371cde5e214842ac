package dev.distrolix.nix;

import java.util.Objects;

/**
 * A Nix store path such as {@code /nix/store/<32-char hash>-<name>}. Immutable, validated on
 * construction, ordered by base name (the order layers list their store paths in).
 */
public record StorePath(String storeDir, String hashPart, String name) implements Comparable<StorePath> {
    public static final String DEFAULT_STORE_DIR = "/nix/store";
    private static final int MAX_NAME = 211;

    public StorePath {
        Objects.requireNonNull(storeDir, "storeDir");
        if (!Nix32.isHashPart(hashPart)) {
            throw new IllegalArgumentException("not a store path hash: " + hashPart);
        }
        if (!isName(name) || name.equals(".") || name.equals("..") || name.startsWith(".-") || name.startsWith("..-")) {
            throw new IllegalArgumentException("not a store path name: " + name);
        }
    }

    // Checked a character at a time, not by regular expression: a closure of thousands of paths makes tens of
    // thousands of these in a fresh JVM, where a regex match runs interpreted (~30 ms for 3,000 paths).

    /** 1 to 211 characters of {@code [A-Za-z0-9+-._?=]}. */
    private static boolean isName(String s) {
        int n = s.length();
        if (n < 1 || n > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '-' || c == '.' || c == '_' || c == '?' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Parses a full path ({@code /nix/store/abc…-name}); sub-paths below a store path are rejected. */
    public static StorePath parse(String fullPath) {
        int slash = fullPath.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a store path: " + fullPath);
        }
        String dir = fullPath.substring(0, slash);
        return fromBaseName(dir, fullPath.substring(slash + 1));
    }

    /** Parses {@code <hash>-<name>} within a store directory. */
    public static StorePath fromBaseName(String storeDir, String baseName) {
        if (baseName.length() < 34 || baseName.charAt(32) != '-') {
            throw new IllegalArgumentException("not a store path: " + storeDir + "/" + baseName);
        }
        return new StorePath(storeDir, baseName.substring(0, 32), baseName.substring(33));
    }

    public static boolean isStorePath(String fullPath) {
        try {
            parse(fullPath);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String baseName() {
        return hashPart + "-" + name;
    }

    public String fullPath() {
        return storeDir + "/" + baseName();
    }

    /**
     * Base-name order (base names are ASCII: String order is byte order). Every hash part is 32 characters,
     * so that is the hash parts' order, then the names': compared without building the base names.
     */
    @Override
    public int compareTo(StorePath o) {
        int c = hashPart.compareTo(o.hashPart);
        return c != 0 ? c : name.compareTo(o.name);
    }

    /** By name, then by hash part: a rebuilt path keeps its place beside its old self. */
    public static int compareByName(StorePath a, StorePath b) {
        int c = a.name.compareTo(b.name);
        return c != 0 ? c : a.hashPart.compareTo(b.hashPart);
    }

    // Written out: a record's generated equals and hashCode go through method handles, slow in the first
    // hundreds of thousands of calls that a closure of thousands of paths makes in maps and sets.
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof StorePath p && hashPart.equals(p.hashPart) && name.equals(p.name)
                && storeDir.equals(p.storeDir);
    }

    @Override
    public int hashCode() {
        return hashPart.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return fullPath();
    }
}
