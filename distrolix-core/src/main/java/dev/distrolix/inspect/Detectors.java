package dev.distrolix.inspect;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Detection of what a hardened image should not carry: shells, package managers, setuid/setgid
 * files. By name: an executable file, a hard link or a symlink (the usual busybox applet) in any
 * {@code bin} or {@code sbin} directory — /bin, /usr/local/bin, /nix/store/*&#47;bin alike (so
 * /etc/cron.daily/dpkg, a script named after its package, does not). By what it is: any path
 * whose file the content identifies ({@link FlatFilesystem#program}) — a copy or hard link of
 * bash under any name, a renamed busybox, a symlink anywhere that resolves to one. A link to a
 * multi-call binary (busybox, toybox) counts only under a shell's name: /bin/ls -> busybox runs
 * ls. Paths are runtime paths (see {@link FlatFilesystem}). Audit rules build on it.
 */
public final class Detectors {
    public static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh",
            "tcsh", "fish", "busybox", "toybox");
    public static final Set<String> PACKAGE_MANAGERS = Set.of("apk", "apt", "apt-get", "dpkg", "rpm", "yum", "dnf",
            "microdnf", "zypper", "pacman", "nix", "nix-env", "nix-store", "pip", "pip3", "npm", "gem");

    private Detectors() {}

    /** What one image has, each list sorted by path. */
    public record Findings(List<FsEntry> shells, List<FsEntry> packageManagers, List<FsEntry> setuid) {
        /** Distinct program names, e.g. [bash, dash, sh]. */
        public static Set<String> names(List<FsEntry> entries) {
            TreeSet<String> out = new TreeSet<>();
            entries.forEach(e -> out.add(e.name()));
            return out;
        }
    }

    /** Shell names a multi-call binary answers to. */
    static final Set<String> SHELL_APPLETS = Set.of("sh", "ash", "hush", "bash", "ksh", "msh");

    public static Findings scan(FlatFilesystem fs) {
        dev.distrolix.inspect.scan.ImageTree tree = new dev.distrolix.inspect.scan.ImageTree(fs);
        List<FsEntry> shells = new java.util.ArrayList<>();
        List<FsEntry> pms = new java.util.ArrayList<>();
        for (FsEntry e : fs.entries()) {
            ProgramSignatures.Signature s = identify(tree, e);
            if (isShell(e) && resolvesToFile(tree, e) || s != null && s.kind() == ProgramSignatures.Kind.SHELL) {
                shells.add(e);
            }
            if (isPackageManager(e) && resolvesToFile(tree, e)
                    || s != null && s.kind() == ProgramSignatures.Kind.PACKAGE_MANAGER) {
                pms.add(e);
            }
        }
        return new Findings(shells, pms, fs.entries().stream().filter(e -> e.isSetuid() || e.isSetgid()).toList());
    }

    /**
     * The program an entry runs, recognised by content: a file or hard link itself, a symlink by
     * the file it resolves to (a busybox link only under a shell's name); null if none.
     */
    public static ProgramSignatures.Signature identify(dev.distrolix.inspect.scan.ImageTree tree, FsEntry e) {
        FsEntry file = e;
        if (e.type() == FsEntry.Type.SYMLINK) {
            dev.distrolix.inspect.scan.ImageTree.Resolved r = tree.resolve(e.path());
            file = r.ok() ? r.entry() : null;
        }
        ProgramSignatures.Signature s = file == null ? null : tree.fs().program(file);
        if (s == null) {
            return null;
        }
        boolean multiCall = s.program().equals("busybox") || s.program().equals("toybox");
        if (multiCall && e.type() != FsEntry.Type.FILE && !SHELL_APPLETS.contains(e.name())
                && !e.name().startsWith(s.program())) {
            return null; // /bin/ls -> busybox runs ls
        }
        return s;
    }

    /** A dangling link names no program. */
    static boolean resolvesToFile(dev.distrolix.inspect.scan.ImageTree tree, FsEntry e) {
        if (e.type() == FsEntry.Type.SYMLINK) {
            dev.distrolix.inspect.scan.ImageTree.Resolved r = tree.resolve(e.path());
            return r.ok() && tree.regularFile(r.entry()) != null;
        }
        return e.type() != FsEntry.Type.HARDLINK || tree.regularFile(e) != null || e.sha256() != null;
    }

    public static boolean isShell(FsEntry e) {
        return isProgram(e) && SHELLS.contains(e.name());
    }

    public static boolean isPackageManager(FsEntry e) {
        return isProgram(e) && PACKAGE_MANAGERS.contains(e.name());
    }

    /** An executable regular file, a hard link or a symlink, in a bin or sbin directory. */
    public static boolean isProgram(FsEntry e) {
        boolean program = e.isExecutable() || e.type() == FsEntry.Type.SYMLINK || e.type() == FsEntry.Type.HARDLINK;
        return program && inBinDirectory(e.path());
    }

    static boolean inBinDirectory(String path) {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(path.lastIndexOf('/', slash - 1) + 1, slash);
        return dir.equals("bin") || dir.equals("sbin");
    }
}
