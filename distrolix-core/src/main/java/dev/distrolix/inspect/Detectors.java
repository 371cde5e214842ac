package dev.distrolix.inspect;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Name-based detection of what a hardened image should not carry: shells, package managers,
 * setuid/setgid files. A program counts when it is an executable file, a hard link or a symlink
 * (the usual busybox applet) in any {@code bin} or {@code sbin} directory — /bin, /usr/local/bin,
 * /nix/store/*&#47;bin alike (so /etc/cron.daily/dpkg, a script named after its package, does not).
 * Simple on purpose; audit rules build on it.
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

    public static Findings scan(FlatFilesystem fs) {
        return new Findings(fs.entries().stream().filter(Detectors::isShell).toList(),
                fs.entries().stream().filter(Detectors::isPackageManager).toList(),
                fs.entries().stream().filter(e -> e.isSetuid() || e.isSetgid()).toList());
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
