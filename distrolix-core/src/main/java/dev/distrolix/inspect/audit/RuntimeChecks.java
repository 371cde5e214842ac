package dev.distrolix.inspect.audit;

import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.Platform;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.elf.ElfCollector;
import dev.distrolix.inspect.elf.ElfInfo;
import dev.distrolix.inspect.scan.ImageTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks of how the image will run: the user (root, or a name the image cannot resolve), the
 * Entrypoint/Cmd program (found through PATH from the config's Env, links followed inside the
 * image, executable, built for the platform's processor, and its ELF interpreter and libraries or
 * its {@code #!} interpreter present), and CA certificates wherever TLS libraries are.
 */
final class RuntimeChecks {
    /** What runc and podman use when the config sets no PATH. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern TLS_LIBRARY = Pattern.compile("lib(ssl|gnutls|nss3|mbedtls|wolfssl)\\.so(\\..*)?");
    static final List<String> CA_BUNDLES = List.of("/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-bundle.crt",
            "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem", "/etc/pki/tls/cacert.pem", "/etc/ssl/cert.pem",
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem");
    private static final List<String> CA_ENV = List.of("SSL_CERT_FILE", "NIX_SSL_CERT_FILE", "CURL_CA_BUNDLE",
            "REQUESTS_CA_BUNDLE", "GIT_SSL_CAINFO");

    private final ImageTree tree;
    private final ContainerConfig config;
    private final Platform platform;
    private final FileHeads heads;
    private final ElfCollector elf;
    private final ElfChecks elfChecks;
    private final Map<String, String> env;

    RuntimeChecks(ImageTree tree, ContainerConfig config, Platform platform, FileHeads heads, ElfCollector elf, ElfChecks elfChecks,
                  Map<String, String> env) {
        this.tree = tree;
        this.config = config;
        this.platform = platform;
        this.heads = heads;
        this.elf = elf;
        this.elfChecks = elfChecks;
        this.env = env;
    }

    List<Finding> user() {
        String user = config.user();
        if (user == null) {
            return List.of(Rule.RUNS_AS_ROOT.finding("the image runs as root: its config sets no User", List.of()));
        }
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (name.matches("[0-9]+")) {
            return name.equals("0") || Long.parseLong(name) == 0
                    ? List.of(Rule.RUNS_AS_ROOT.finding("the image runs as root: User is " + user, List.of()))
                    : List.of();
        }
        String passwd = heads.account(tree.fs().get("/etc/passwd"));
        if (passwd != null) {
            for (String line : passwd.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[0].equals(name)) {
                    return f[2].strip().equals("0")
                            ? List.of(Rule.RUNS_AS_ROOT.finding("the image runs as root: User " + name + " has uid 0",
                                    List.of("/etc/passwd (" + line.strip() + ")")))
                            : List.of();
                }
            }
        }
        return List.of(Rule.UNKNOWN_USER.finding("User '" + name + "' is not in the image's /etc/passwd: the runtime "
                + "cannot switch to it", passwd == null ? List.of() : List.of("/etc/passwd")));
    }

    List<Finding> entrypoint() {
        List<String> argv = new ArrayList<>(config.entrypoint());
        argv.addAll(config.cmd());
        if (argv.isEmpty()) {
            return List.of(Rule.NO_COMMAND.finding("neither Entrypoint nor Cmd is set: a command must be given at run time",
                    List.of()));
        }
        String program = argv.get(0);
        String where = config.entrypoint().isEmpty() ? "Cmd" : "Entrypoint";
        Lookup found = lookup(program);
        if (found.path == null) {
            return List.of((found.notExecutable == null ? Rule.ENTRYPOINT_MISSING : Rule.ENTRYPOINT_NOT_EXECUTABLE).finding(
                    where + " program " + program + (found.notExecutable == null
                            ? " is not in the image" + (program.contains("/") ? "" : " (searched PATH " + path() + ")")
                            : " is not an executable file"),
                    found.notExecutable == null ? found.tried : List.of(found.notExecutable)));
        }
        String problem = cannotStart(found.path, found.file, 0);
        return problem == null ? List.of()
                : List.of(Rule.ENTRYPOINT_CANNOT_START.finding(where + " program " + program + " cannot start: " + problem,
                        List.of(found.path + (found.path.equals(found.file.path()) ? "" : " -> " + found.file.path()))));
    }

    /** Why an executable file cannot start, or null. */
    private String cannotStart(String path, FsEntry file, int depth) {
        ElfInfo info = elf.get(file);
        if (info != null) {
            String foreign = PlatformChecks.foreignProgram(info, platform);
            if (foreign != null) {
                return foreign; // exec fails before any loader runs: "exec format error"
            }
            if (!info.complete()) {
                return null; // not judged
            }
            if (info.interpreter() != null) {
                ImageTree.Resolved r = tree.resolve(info.interpreter());
                if (!r.ok() || tree.regularFile(r.entry()) == null) {
                    return "its ELF interpreter " + info.interpreter() + " is not in the image";
                }
            }
            Map<String, String> missing = elfChecks.programNeeds(path, info);
            if (!missing.isEmpty()) {
                var first = missing.entrySet().iterator().next();
                return "needs " + String.join(", ", missing.keySet()) + ", not in the image (" + first.getKey()
                        + " needed by " + first.getValue() + ")";
            }
            return null;
        }
        String shebang = heads.shebang(file);
        if (shebang == null) {
            return file.size() == 0 ? "it is empty" : "it is neither an ELF program nor a #! script";
        }
        if (depth > 3) {
            return "#! interpreters nest too deep";
        }
        String[] words = shebang.split("\\s+");
        String interp = words[0];
        if (interp.endsWith("/env") && words.length > 1) {
            interp = words[1];
        }
        Lookup l = lookup(interp);
        if (l.path == null) {
            return "its #! interpreter " + interp + " is not in the image";
        }
        String inner = cannotStart(l.path, l.file, depth + 1);
        return inner == null ? null : "its #! interpreter " + interp + ": " + inner;
    }

    /** Result of a PATH lookup: the path and file found, or what was tried. */
    private record Lookup(String path, FsEntry file, String notExecutable, List<String> tried) {}

    private Lookup lookup(String program) {
        List<String> candidates = new ArrayList<>();
        if (program.contains("/")) {
            String wd = config.workingDir() == null ? "/" : config.workingDir();
            candidates.add(program.startsWith("/") ? program : wd + "/" + program);
        } else {
            for (String dir : path().split(":")) {
                if (dir.startsWith("/")) {
                    candidates.add((dir.endsWith("/") ? dir : dir + "/") + program);
                }
            }
        }
        String notExecutable = null;
        for (String c : candidates) {
            ImageTree.Resolved r = tree.resolve(c);
            if (!r.ok()) {
                continue;
            }
            FsEntry f = tree.regularFile(r.entry());
            if (f != null && (f.mode() & 0111) != 0) {
                return new Lookup(c, f, null, candidates);
            }
            if (notExecutable == null) {
                notExecutable = c + (f == null ? " (not a regular file)" : " (" + f.modeString() + ")");
            }
        }
        return new Lookup(null, null, notExecutable, candidates);
    }

    private String path() {
        return env.getOrDefault("PATH", DEFAULT_PATH);
    }

    List<Finding> caCertificates() {
        List<String> tls = new ArrayList<>();
        boolean certs = false;
        for (FsEntry e : tree.fs().entries()) {
            if ((e.type() == FsEntry.Type.FILE || e.type() == FsEntry.Type.SYMLINK) && TLS_LIBRARY.matcher(e.name()).matches()) {
                tls.add(e.path());
            }
            if (!certs && e.type() == FsEntry.Type.FILE && e.size() > 0 && isCaBundle(e.path())) {
                certs = true;
            }
        }
        for (String p : CA_BUNDLES) {
            certs |= isFile(p);
        }
        for (String v : CA_ENV) {
            certs |= env.containsKey(v) && isFile(env.get(v));
        }
        if (tls.isEmpty() || certs) {
            return List.of();
        }
        return List.of(Rule.CA_CERTIFICATES_MISSING.finding("TLS libraries but no CA certificates (looked for "
                + CA_BUNDLES.get(0) + " and the other usual bundles, /etc/ssl/certs/*.pem, a *-cacert store path, "
                + "SSL_CERT_FILE): TLS clients cannot verify servers", tls));
    }

    private boolean isFile(String p) {
        ImageTree.Resolved r = tree.resolve(p);
        return r.ok() && tree.regularFile(r.entry()) != null && tree.regularFile(r.entry()).size() > 0;
    }

    private static boolean isCaBundle(String p) {
        return (p.startsWith("/etc/ssl/certs/") && (p.endsWith(".pem") || p.endsWith(".crt")))
                || (p.startsWith("/nix/store/") && p.contains("cacert") && p.endsWith("/etc/ssl/certs/ca-bundle.crt"));
    }
}
