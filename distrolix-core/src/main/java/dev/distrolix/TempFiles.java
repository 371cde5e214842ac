package dev.distrolix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files and folders that carry the id of the process that made them, so that what a
 * killed run (SIGKILL, power loss: no catch block, no shutdown hook) left behind is recognised
 * and removed by the next run:
 *
 * <ul>
 *   <li>beside an output: {@code .NAME.tmp-<pid>-<random>} (same folder, so the final rename is atomic);</li>
 *   <li>in {@code java.io.tmpdir}: {@code distrolix-<pid>-<what>-<random>}.</li>
 * </ul>
 *
 * {@link #sweep} deletes such entries whose process is gone. A live process's temp files are never
 * touched (even if its pid was reused, the entry stays until that process too is gone).
 * Limitation: processes in another PID namespace sharing the folder are invisible to us, so their
 * temp files would look stale; distrolix does not share temp folders across containers.
 */
public final class TempFiles {
    private TempFiles() {}

    /** {@code .NAME.tmp-PID-…} beside an output, {@code distrolix-PID-…} in the temp folder. */
    private static final Pattern BESIDE = Pattern.compile("\\..+\\.tmp-(\\d+)-[^/]*");
    private static final Pattern IN_TMP = Pattern.compile("distrolix-(\\d+)-[^/]*");

    /** This process's id, as it appears in temp names. */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** The prefix of a temp file beside {@code target}: {@code .NAME.tmp-PID-}. */
    public static String besidePrefix(Path target) {
        return "." + target.getFileName() + ".tmp-" + pid() + "-";
    }

    /** An empty temp file beside {@code target} (in its folder, which must exist), named {@code .NAME.tmp-PID-…}. */
    public static Path createBeside(Path target) throws IOException {
        return create(target.toAbsolutePath().getParent(), besidePrefix(target), "", false);
    }

    /**
     * Makes {@code dir/PREFIX<random>SUFFIX}, a file (mode 0600) or a folder (0700), under a name no entry has:
     * made with O_EXCL (CREATE_NEW), which fails on any existing entry and never follows a link, so a name taken
     * costs another try, nothing more. The first name's random part is {@code ThreadLocalRandom}'s, not
     * SecureRandom's as {@code Files.createTempFile}'s is (whose first use costs a run ~10 ms): it needs no secret
     * while no one takes it. One taken, the next are SecureRandom's: ThreadLocalRandom's sequence can be worked out
     * from one name seen in a shared folder, and the names after it taken in advance.
     */
    private static Path create(Path dir, String prefix, String suffix, boolean folder) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] mode = !posix ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {folder ? OWNER_ONLY_FOLDER : OWNER_ONLY_FILE};
        return take(dir, prefix, suffix, p -> folder ? Files.createDirectory(p, mode) : Files.createFile(p, mode));
    }

    /**
     * A hard link to {@code existing} beside {@code target}, under a fresh {@code .NAME.tmp-PID-…} name (taken as
     * {@link #createBeside}'s are: a link fails on any existing entry). Where a file is only renamed into place, this
     * spares making an empty file to reserve the name and deleting it again: on ext4 each new inode is searched for
     * past recently deleted ones, ~0.25 ms of kernel time a layer in a cold build of 3,001 paths.
     */
    public static Path linkBeside(Path target, Path existing) throws IOException {
        return take(target.toAbsolutePath().getParent(), besidePrefix(target), "", p -> Files.createLink(p, existing));
    }

    private interface Maker {
        Path make(Path name) throws IOException;
    }

    /** {@code dir/PREFIX<random>SUFFIX} made by {@code maker}, which fails on a name taken. */
    private static Path take(Path dir, String prefix, String suffix, Maker maker) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + (attempt == 0 ? randomPart()
                    : Long.toUnsignedString(Unguessable.RANDOM.nextLong(), 36)) + suffix);
            try {
                return maker.make(p);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (attempt >= 100) {
                    throw taken;
                }
            }
        }
    }

    private static final FileAttribute<?> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> OWNER_ONLY_FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /** Made on the first name found taken. */
    private static final class Unguessable {
        static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    }

    private static String randomPart() {
        return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    }

    /**
     * Replaces {@code file} with {@code bytes} atomically (a temp file beside it, renamed), making its folder and
     * sweeping what killed runs left there; best effort, for records a cache can do without: false when it was not
     * written (then no temp file is left).
     */
    public static boolean replaceQuietly(Path file, byte[] bytes) {
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            sweep(dir);
            tmp = createBeside(file);
            Files.write(tmp, bytes);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException | RuntimeException notWritten) {
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // swept by the next write
            }
            return false;
        }
    }

    /** A new folder {@code distrolix-PID-WHAT-…} in {@code java.io.tmpdir}. */
    public static Path createTempDirectory(String what) throws IOException {
        try {
            return create(tempFolder(), "distrolix-" + pid() + "-" + what + "-", "", true);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException
                 | java.nio.file.AccessDeniedException e) {
            throw unusableTempFolder(e);
        }
    }

    /** The temp folder itself is missing or not writable: the user's setting to fix, named, not a bare path. */
    private static InputException unusableTempFolder(IOException e) {
        String dir = System.getProperty("java.io.tmpdir");
        String what = e instanceof java.nio.file.AccessDeniedException ? "is not writable" : "does not exist";
        return new InputException("the temporary folder " + dir + " (java.io.tmpdir) " + what
                + ": create it, or name another with DISTROLIX_JAVA_OPTS=-Djava.io.tmpdir=DIR");
    }

    /** A name for a folder {@code distrolix-PID-WHAT-…} in {@code java.io.tmpdir}, not made. */
    public static Path tempPath(String what) {
        // SecureRandom's: whoever makes this folder later makes it with createDirectories, which takes one already
        // there, so its name must not be guessable in a shared temp folder
        return tempFolder().resolve("distrolix-" + pid() + "-" + what + "-"
                + Long.toUnsignedString(new java.security.SecureRandom().nextLong(), 36));
    }

    private static Path tempFolder() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** A new empty file {@code distrolix-PID-WHAT-…SUFFIX} in {@code java.io.tmpdir}. */
    public static Path createTempFile(String what, String suffix) throws IOException {
        try {
            return create(tempFolder(), "distrolix-" + pid() + "-" + what + "-", suffix, false);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException
                 | java.nio.file.AccessDeniedException e) {
            throw unusableTempFolder(e);
        }
    }

    /** Sweeps {@code java.io.tmpdir}'s {@code distrolix-PID-*} entries of processes that are gone. */
    public static int sweepTempDirectory() {
        return sweep(Path.of(System.getProperty("java.io.tmpdir")), IN_TMP);
    }

    /**
     * Deletes the entries of {@code dir} (not recursively: only its own names) that are temp files
     * ({@code .NAME.tmp-PID-…}) of a process that no longer runs. Best effort and cheap: one listing; a missing or
     * unreadable folder, or an entry another run removes first, is fine.
     *
     * @return how many entries were removed
     */
    public static int sweep(Path dir) {
        return sweep(dir, BESIDE);
    }

    private static int sweep(Path dir, Pattern names) {
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Long owner = owner(names, p.getFileName().toString());
                if (owner == null || ProcessHandle.of(owner).isPresent()) {
                    continue;
                }
                try {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        FileTrees.deleteTree(p);
                    } else {
                        Files.deleteIfExists(p);
                    }
                    removed++;
                } catch (IOException | RuntimeException ignored) {
                    // not ours to remove after all (another user's), or already gone
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // a folder we cannot list holds nothing we could remove
        }
        return removed;
    }

    /** Whether {@code name} is a temp file's name beside an output ({@code .NAME.tmp-PID-…}), live or not. */
    public static boolean isTempBeside(String name) {
        return owner(BESIDE, name) != null;
    }

    /** The pid a temp name carries, or null for any other name. */
    static Long owner(String name) {
        Long beside = owner(BESIDE, name);
        return beside != null ? beside : owner(IN_TMP, name);
    }

    private static Long owner(Pattern names, String name) {
        Matcher m = names.matcher(name);
        if (!m.matches()) {
            return null;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }
}
