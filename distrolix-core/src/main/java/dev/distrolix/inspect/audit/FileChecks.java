package dev.distrolix.inspect.audit;

import dev.distrolix.inspect.Detectors;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.ProgramSignatures;
import dev.distrolix.inspect.scan.ImageTree;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks made on the file list alone: programs by name in any bin/sbin directory (shells,
 * package managers, downloaders, interpreters — busybox by the applets its binary lists),
 * setuid/setgid and world-writable files, dangling symlinks and symlinks escaping the root.
 */
final class FileChecks {
    static final Set<String> DOWNLOADERS = Set.of("curl", "wget", "wget2", "aria2c", "axel", "lftp", "ftp", "tftp",
            "ftpget", "ftpput", "nc", "ncat", "netcat", "socat", "lwp-download", "httpie", "http");
    static final Set<String> MORE_PACKAGE_MANAGERS = Set.of("aptitude", "opkg", "tdnf", "nix-build", "nix-shell",
            "nix-channel", "conda", "mamba", "yarn", "pnpm", "easy_install");
    private static final Pattern PIP = Pattern.compile("pip[0-9.]*");
    private static final Pattern INTERPRETERS = Pattern.compile(
            "(python|pypy|perl|ruby|node|nodejs|php|lua|luajit|tclsh|wish|java|jshell|Rscript|guile|deno|bun|pwsh"
                    + "|awk|gawk|mawk|nawk|expect)[0-9.]*");
    /** Applets of a busybox binary that make it a shell or a downloader. */
    static final Set<String> APPLETS = Set.of("sh", "ash", "hush", "bash", "wget", "ftpget", "tftp", "nc");
    private static final Set<String> DOWNLOADER_APPLETS = Set.of("wget", "ftpget", "tftp", "nc");
    /** Mount points a runtime provides: links into them are not dangling. */
    private static final List<String> RUNTIME_MOUNTS = List.of("/proc/", "/sys/", "/dev/");

    private FileChecks() {}

    static List<Finding> programs(ImageTree tree, FileHeads heads) {
        Map<Rule, TreeSet<String>> names = new EnumMap<>(Rule.class);
        Map<Rule, List<String>> proofs = new EnumMap<>(Rule.class);
        for (FsEntry e : tree.fs().entries()) {
            ProgramSignatures.Signature sig = Detectors.identify(tree, e);
            boolean named = Detectors.isProgram(e);
            if (!named && sig == null) {
                continue;
            }
            String proof = proof(tree, e, sig);
            if (proof == null) {
                continue; // a dangling link names no program
            }
            if (sig != null) {
                add(names, proofs, sig.kind() == ProgramSignatures.Kind.SHELL ? Rule.SHELL : Rule.PACKAGE_MANAGER,
                        sig.program(), proof);
            }
            if (!named) {
                continue;
            }
            String n = e.name();
            if (Detectors.SHELLS.contains(n)) {
                add(names, proofs, Rule.SHELL, n, proof);
            }
            if (Detectors.PACKAGE_MANAGERS.contains(n) || MORE_PACKAGE_MANAGERS.contains(n) || PIP.matcher(n).matches()) {
                add(names, proofs, Rule.PACKAGE_MANAGER, n, proof);
            }
            if (DOWNLOADERS.contains(n)) {
                add(names, proofs, Rule.DOWNLOADER, n, proof);
            }
            if (INTERPRETERS.matcher(n).matches()) {
                add(names, proofs, Rule.INTERPRETER, n, proof);
            }
            String applets = heads.applets(tree.regularFile(e));
            if (applets != null && !applets.isEmpty()) {
                List<String> shells = new ArrayList<>();
                List<String> downloaders = new ArrayList<>();
                for (String a : applets.split(" ")) {
                    (DOWNLOADER_APPLETS.contains(a) ? downloaders : shells).add(a);
                }
                for (String a : shells) {
                    add(names, proofs, Rule.SHELL, "busybox " + a, e.path() + " (busybox applets " + String.join(", ", shells) + ")");
                }
                for (String a : downloaders) {
                    add(names, proofs, Rule.DOWNLOADER, "busybox " + a,
                            e.path() + " (busybox applets " + String.join(", ", downloaders) + ")");
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        proofs.forEach((rule, paths) -> {
            String what = switch (rule) {
                case SHELL -> "shells";
                case PACKAGE_MANAGER -> "package managers";
                case DOWNLOADER -> "download tools";
                default -> "interpreters";
            };
            out.add(rule.finding(what + ": " + String.join(", ", names.get(rule)) + " (" + paths.size()
                    + (paths.size() == 1 ? " path)" : " paths)"), paths));
        });
        return out;
    }

    private static void add(Map<Rule, TreeSet<String>> names, Map<Rule, List<String>> proofs, Rule r, String name,
                            String proof) {
        names.computeIfAbsent(r, k -> new TreeSet<>()).add(name);
        List<String> l = proofs.computeIfAbsent(r, k -> new ArrayList<>());
        if (!l.contains(proof)) {
            l.add(proof);
        }
    }

    /**
     * "path", "path -> target" or "path (hard link to X)", with the program the content shows when
     * the name does not tell it ("/usr/bin/python (bash)", "/x -> y (bash at /opt/y)"); null for a
     * link that resolves to no file. Paths are the runtime's (see FlatFilesystem).
     */
    private static String proof(ImageTree tree, FsEntry e, ProgramSignatures.Signature sig) {
        String program = sig == null ? null : sig.program();
        if (e.type() == FsEntry.Type.SYMLINK) {
            ImageTree.Resolved r = tree.resolve(e.path());
            if (!r.ok() || tree.regularFile(r.entry()) == null && tree.fs().program(r.entry()) == null) {
                return null;
            }
            String real = r.path();
            boolean tells = program == null || real.substring(real.lastIndexOf('/') + 1).equals(program);
            return e.path() + " -> " + e.linkTarget() + (tells ? "" : " (" + program + " at " + real + ")");
        }
        boolean tells = program == null || e.name().equals(program);
        if (e.type() == FsEntry.Type.HARDLINK) {
            if (tree.regularFile(e) == null && e.sha256() == null) {
                return null;
            }
            return e.path() + " (hard link to " + e.linkTarget() + (tells ? "" : ": " + program) + ")";
        }
        return e.path() + (tells ? "" : " (" + program + ")");
    }

    static List<Finding> permissions(ImageTree tree) {
        List<String> setuid = new ArrayList<>();
        List<String> setgid = new ArrayList<>();
        List<String> writable = new ArrayList<>();
        for (FsEntry e : tree.fs().entries()) {
            String desc = e.path() + " (" + e.modeString() + " " + e.uid() + ":" + e.gid() + ")";
            if (e.isSetuid()) {
                setuid.add(desc);
            }
            if (e.isSetgid()) {
                setgid.add(desc);
            }
            boolean ww = (e.mode() & 0002) != 0;
            if (ww && e.type() == FsEntry.Type.FILE) {
                writable.add(desc);
            } else if (ww && e.type() == FsEntry.Type.DIRECTORY && (e.mode() & FsEntry.STICKY) == 0) {
                writable.add(desc + " directory without the sticky bit");
            }
        }
        List<Finding> out = new ArrayList<>();
        if (!setuid.isEmpty()) {
            out.add(Rule.SETUID.finding(count(setuid, "setuid file") + " (run with their owner's rights)", setuid));
        }
        if (!setgid.isEmpty()) {
            out.add(Rule.SETGID.finding(count(setgid, "setgid file"), setgid));
        }
        if (!writable.isEmpty()) {
            out.add(Rule.WORLD_WRITABLE.finding(count(writable, "world-writable path"), writable));
        }
        return out;
    }

    static List<Finding> symlinks(ImageTree tree) {
        List<String> dangling = new ArrayList<>();
        List<String> escaping = new ArrayList<>();
        for (FsEntry e : tree.fs().entries()) {
            if (e.type() != FsEntry.Type.SYMLINK) {
                continue;
            }
            ImageTree.Resolved r = tree.resolve(e.path());
            String proof = e.path() + " -> " + e.linkTarget();
            if (r.escaped()) {
                escaping.add(proof);
            }
            if (!r.ok() && RUNTIME_MOUNTS.stream().noneMatch(m -> (r.path() + "/").startsWith(m))) {
                dangling.add(proof + " (" + (r.problem() == ImageTree.Problem.LOOP ? "a loop"
                        : r.problem() == ImageTree.Problem.NOT_A_DIRECTORY ? r.path() + " is not a directory"
                        : r.path() + " does not exist") + ")");
            }
        }
        List<Finding> out = new ArrayList<>();
        if (!dangling.isEmpty()) {
            out.add(Rule.DANGLING_SYMLINK.finding(count(dangling, "dangling symlink"), dangling));
        }
        if (!escaping.isEmpty()) {
            out.add(Rule.SYMLINK_ESCAPES_ROOT.finding(count(escaping, "symlink") + " climbing above the image root"
                    + " (runtimes clamp them; tools extracting the image on a host may follow them)", escaping));
        }
        return out;
    }

    static String count(List<?> l, String what) {
        String plural = what.endsWith("y") ? what.substring(0, what.length() - 1) + "ies" : what + "s";
        return l.size() + " " + (l.size() == 1 ? what : plural);
    }
}
