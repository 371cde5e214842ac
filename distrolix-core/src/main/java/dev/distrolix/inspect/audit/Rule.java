package dev.distrolix.inspect.audit;

/**
 * Every check the audit makes, with its finding id and default severity. The ids are stable:
 * CI configurations ignore findings by them.
 */
public enum Rule {
    SHELL("shell", Severity.HIGH, "a shell (also inside /nix/store/*/bin, busybox and its applet links)"),
    PACKAGE_MANAGER("package-manager", Severity.HIGH, "a package manager (apk, apt, dpkg, rpm, yum, nix, pip, …)"),
    DOWNLOADER("downloader", Severity.MEDIUM, "a download tool (curl, wget, busybox wget, nc, …)"),
    INTERPRETER("interpreter", Severity.INFO, "a language interpreter (python, perl, node, java, awk, …)"),
    SETUID("setuid", Severity.HIGH, "a setuid file: runs with its owner's rights"),
    SETGID("setgid", Severity.MEDIUM, "a setgid file: runs with its group's rights"),
    WORLD_WRITABLE("world-writable", Severity.MEDIUM, "a file, or a directory without the sticky bit, anyone may write"),
    RUNS_AS_ROOT("runs-as-root", Severity.MEDIUM, "the image runs as root (no User, or uid 0)"),
    UNKNOWN_USER("unknown-user", Severity.HIGH, "the configured User is not in the image's /etc/passwd: the container cannot start"),
    DANGLING_SYMLINK("dangling-symlink", Severity.LOW, "a symlink to nothing in the image"),
    SYMLINK_ESCAPES_ROOT("symlink-escapes-root", Severity.MEDIUM, "a symlink whose target climbs above the image root"),
    ELF_INTERPRETER_MISSING("elf-interpreter-missing", Severity.HIGH, "a program whose ELF interpreter (ld.so) is not in the image: it cannot start"),
    ELF_UNRESOLVED("elf-unresolved", Severity.HIGH, "a program needing a shared library the image lacks: it cannot start"),
    ELF_LIBRARY_UNRESOLVED("elf-library-unresolved", Severity.MEDIUM, "a shared library needing a library the image lacks: loading it fails"),
    ELF_WRONG_MACHINE("elf-wrong-machine", Severity.HIGH, "ELF programs or libraries built for another processor than the image's platform (low for 32-bit compat ones: i386 on amd64, arm on arm64)"),
    INDEX_PLATFORM_MISMATCH("index-platform-mismatch", Severity.HIGH, "an index lists the image under another platform than its config names: hosts of that platform pull the wrong image"),
    ELF_UNREADABLE("elf-unreadable", Severity.INFO, "an ELF file whose dynamic section could not be read in one pass (not judged)"),
    NO_COMMAND("no-command", Severity.INFO, "neither Entrypoint nor Cmd: a command must be given at run time"),
    ENTRYPOINT_MISSING("entrypoint-missing", Severity.CRITICAL, "the Entrypoint/Cmd program is not in the image"),
    ENTRYPOINT_NOT_EXECUTABLE("entrypoint-not-executable", Severity.CRITICAL, "the Entrypoint/Cmd program is not an executable file"),
    ENTRYPOINT_CANNOT_START("entrypoint-cannot-start", Severity.CRITICAL, "the Entrypoint/Cmd program lacks its interpreter or libraries"),
    CA_CERTIFICATES_MISSING("ca-certificates-missing", Severity.MEDIUM, "TLS libraries without CA certificates: clients cannot verify servers");

    private final String id;
    private final Severity severity;
    private final String description;

    Rule(String id, Severity severity, String description) {
        this.id = id;
        this.severity = severity;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }

    public static Rule byId(String id) {
        for (Rule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    Finding finding(String message, java.util.List<String> paths) {
        return new Finding(id, severity, message, paths);
    }

    Finding finding(Severity s, String message, java.util.List<String> paths) {
        return new Finding(id, s, message, paths);
    }
}
