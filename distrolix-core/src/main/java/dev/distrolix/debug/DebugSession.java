package dev.distrolix.debug;

import dev.distrolix.InputException;
import dev.distrolix.nix.NixCli;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Debugs a running, shell-less container from a sidecar: the library entry point of {@code distrolix debug}.
 *
 * <pre>{@code
 * DebugSession s = DebugSession.container("web").command(List.of("ps")).includes(List.of("nixpkgs=/src/nixpkgs"));
 * try (DebugPlan plan = s.plan()) {
 *     System.out.println(plan.commandLine());        // what --dry-run prints
 *     int status = s.run(plan, SidecarRunner.Stdio.inherit(), System.err::println);
 * }
 * }</pre>
 *
 * {@link #plan()} only looks (inspects the target, asks Nix what the toolkit is made of, asks the engine
 * whether that toolkit is loaded); {@link #run} builds the toolkit if needed and starts the sidecar.
 */
public final class DebugSession {
    public static final Set<String> PROFILES = Set.of("legacy", "general", "baseline", "netadmin", "restricted", "sysadmin");
    /** What a Kubernetes {@code --dry-run} without --image or --push prints for the image (and says so). */
    public static final String PLACEHOLDER_IMAGE = "IMAGE";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String target;
    private final boolean kubernetes;
    private ContainerRuntime runtime;
    private String image;
    private List<String> packages;
    private List<String> includes = List.of();
    private SidecarUser user;
    private boolean ptrace = true;
    private boolean privileged;
    private String namespace;
    private String profile;
    private String push;
    private List<String> command = List.of();
    private boolean tty;
    private boolean dryRun;
    private NixCli nix;
    private Path workingDir = Path.of("");
    private Path proc = Path.of("/proc");

    private DebugSession(String target, boolean kubernetes) {
        this.target = Objects.requireNonNull(target, "target");
        this.kubernetes = kubernetes;
        if (target.isBlank()) {
            throw new InputException("no container named: expected CONTAINER (a name or id)");
        }
    }

    /** A container of the local podman or Docker engine, by name or id. */
    public static DebugSession container(String nameOrId) {
        return new DebugSession(nameOrId, false);
    }

    /** A container of a Kubernetes pod: {@code POD[/CONTAINER]}. */
    public static DebugSession kubernetes(String podSlashContainer) {
        return new DebugSession(podSlashContainer, true);
    }

    /** The engine; default: podman if installed, else Docker (the one that has the container, if both are). */
    public DebugSession runtime(ContainerRuntime runtime) {
        this.runtime = runtime;
        return this;
    }

    /** Any image with a POSIX sh instead of the toolkit built by distrolix. */
    public DebugSession image(String image) {
        this.image = image;
        return this;
    }

    /** The toolkit's packages instead of the shipped list (busybox is always added). */
    public DebugSession packages(List<String> packages) {
        this.packages = packages == null ? null : List.copyOf(packages);
        return this;
    }

    /** Nix search-path entries for building the toolkit ({@code nixpkgs=/path}), as nix-build's -I. */
    public DebugSession includes(List<String> includes) {
        this.includes = List.copyOf(includes);
        return this;
    }

    /** The sidecar's user; default the user of the target's main process. */
    public DebugSession user(SidecarUser user) {
        this.user = user;
        return this;
    }

    /** Whether the sidecar gets CAP_SYS_PTRACE (default yes). */
    public DebugSession ptrace(boolean ptrace) {
        this.ptrace = ptrace;
        return this;
    }

    /** Also CAP_SYS_ADMIN (Kubernetes: the sysadmin profile unless one is chosen). */
    public DebugSession privileged(boolean privileged) {
        this.privileged = privileged;
        return this;
    }

    public DebugSession namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    /** kubectl debug's profile; default general (sysadmin with {@link #privileged}). */
    public DebugSession profile(String profile) {
        this.profile = profile;
        return this;
    }

    /** Push the toolkit to {@code REGISTRY/REPO} so that the cluster can pull it. */
    public DebugSession push(String registryRepo) {
        this.push = registryRepo;
        return this;
    }

    /** COMMAND's words (joined with spaces and run by the sidecar's sh); empty for an interactive shell. */
    public DebugSession command(List<String> command) {
        this.command = List.copyOf(command);
        return this;
    }

    /** Allocate a terminal: the user is at one. */
    public DebugSession tty(boolean tty) {
        this.tty = tty;
        return this;
    }

    /** Plan only: ask no cluster, build nothing. */
    public DebugSession dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public DebugSession nix(NixCli nix) {
        this.nix = nix;
        return this;
    }

    /** Where relative {@code .nix} files of {@link #packages} are found; default the current directory. */
    public DebugSession workingDir(Path dir) {
        this.workingDir = dir;
        return this;
    }

    /** This machine's /proc (tests point it elsewhere). */
    DebugSession proc(Path proc) {
        this.proc = proc;
        return this;
    }

    /** Decides everything without starting anything; see the class comment. */
    public DebugPlan plan() {
        checkOptions();
        return kubernetes ? planKubernetes() : planContainer();
    }

    /** Builds the toolkit if the plan says so, starts the sidecar and returns COMMAND's exit status. */
    public int run(DebugPlan plan, SidecarRunner.Stdio stdio, java.util.function.Consumer<String> notes) {
        return new SidecarRunner(includes, notes).run(plan, stdio);
    }

    private void checkOptions() {
        if (image != null && (packages != null || push != null)) {
            throw new InputException(packages != null ? "--image and --packages exclude each other"
                    : "--image and --push exclude each other");
        }
        if (!kubernetes && (push != null || namespace != null || profile != null)) {
            throw new InputException((push != null ? "--push" : namespace != null ? "--namespace" : "--profile")
                    + " applies to --kubernetes only");
        }
        if (kubernetes && (runtime != null || user != null || !ptrace)) {
            throw new InputException((runtime != null ? "--runtime" : user != null ? "--user" : "--no-ptrace")
                    + " does not apply to --kubernetes (kubectl debug's --profile decides)");
        }
        if (kubernetes && !dryRun && image == null && push == null) { // before asking kubectl anything
            throw new InputException("a cluster cannot pull distrolix's local toolkit: pass --push REGISTRY/REPO,"
                    + " or --image REF (an image with a sh that the cluster can pull)");
        }
        if (profile != null && !PROFILES.contains(profile)) {
            throw new InputException("unknown profile '" + profile + "' (expected one of "
                    + String.join(", ", new java.util.TreeSet<>(PROFILES)) + ")");
        }
        if (push != null) {
            ToolkitPush.check(push);
        }
    }

    private DebugPlan planContainer() {
        TargetLookup.Found found = TargetLookup.find(target, runtime);
        ContainerRuntime rt = found.runtime();
        TargetContainer t = found.container();
        if (!t.running()) {
            throw new InputException("container '" + target + "' is not running (" + (t.status().isEmpty() ? "stopped"
                    : t.status()) + "): start it first; a stopped container has no processes to debug");
        }
        List<String> notes = new ArrayList<>();
        SidecarUser sidecarUser = user != null ? user : targetUser(t);
        String name = sidecarName(t.name());
        Optional<DebugPlan.ToolkitBuild> build = Optional.empty();
        String img = image;
        if (img == null) {
            Toolkit toolkit = toolkit();
            Toolkit.Prepared prepared = toolkit.prepare(nix(), includes);
            img = prepared.image();
            boolean loaded;
            try {
                loaded = Commands.run(rt.imageExists(img)).ok();
            } catch (RuntimeException e) {
                prepared.close();
                throw e;
            }
            if (loaded) {
                if (dryRun) {
                    notes.add("toolkit   " + img + " (in " + rt.command() + " already)");
                }
                prepared.close();
            } else {
                notes.add("toolkit   " + img + " is not in " + rt.command() + " yet: "
                        + (dryRun ? "without --dry-run, distrolix builds it first" : "building it"));
                build = Optional.of(new DebugPlan.ToolkitBuild(prepared, rt.command() + ":" + img, toolkit.packages()));
            }
        }
        Sidecar s = new Sidecar(name, img, image == null, sidecarUser, ptrace, privileged, command, tty);
        return new DebugPlan(Optional.of(rt), SidecarCommands.containerRun(rt, t, s), name, build, notes);
    }

    private DebugPlan planKubernetes() {
        KubernetesTarget k = KubernetesTarget.parse(target, namespace);
        if (!dryRun) {
            Kubectl.checkUsable();
        }
        if (k.container() == null) {
            if (dryRun) {
                throw new InputException("name the container to debug: --kubernetes " + k.pod()
                        + "/CONTAINER (--dry-run does not ask the cluster for the pod's first container)");
            }
            k = k.withContainer(Kubectl.firstContainer(k));
        }
        List<String> notes = new ArrayList<>();
        Optional<DebugPlan.ToolkitBuild> build = Optional.empty();
        String img = image;
        if (img == null) {
            if (push == null) { // a dry run (checkOptions refuses a real one)
                img = PLACEHOLDER_IMAGE;
                notes.add("image     " + img + " is a placeholder: pass --push REGISTRY/REPO (distrolix builds and"
                        + " pushes its toolkit there) or --image REF (an image with a sh the cluster can pull)");
            } else {
                Toolkit toolkit = toolkit();
                Toolkit.Prepared prepared = toolkit.prepare(nix(), includes);
                img = ToolkitPush.pulledAs(push, prepared.tag());
                build = Optional.of(new DebugPlan.ToolkitBuild(prepared, ToolkitPush.target(push, prepared.tag()),
                        toolkit.packages()));
                notes.add("toolkit   " + img + (dryRun ? ": without --dry-run, distrolix pushes it first" : ": pushing it"));
            }
        }
        String prof = profile != null ? profile : privileged ? "sysadmin" : "general";
        String name = sidecarName(k.container());
        Sidecar s = new Sidecar(name, img, false, null, ptrace, privileged, command, tty);
        return new DebugPlan(Optional.empty(), SidecarCommands.kubectlDebug(k, s, prof), name, build, notes);
    }

    /**
     * The user of the target's main process when this machine can see it, else its configured user when
     * that is unambiguous (root, UID:GID). Same user as the target: /proc/1/root then opens even without
     * CAP_SYS_PTRACE, and files the target can write, the sidecar can write.
     */
    private SidecarUser targetUser(TargetContainer t) {
        return TargetProcess.user(t, proc)
                .or(() -> SidecarUser.fromConfiguredUser(t.user()))
                .orElseThrow(() -> new DebugException("cannot tell which user the target's main process runs as"
                        + " (configured as '" + t.user() + "', process not visible from this machine); pass --user UID:GID"));
    }

    private Toolkit toolkit() {
        return packages == null ? Toolkit.standard() : Toolkit.withPackages(packages, workingDir);
    }

    private NixCli nix() {
        return nix != null ? nix : NixCli.create();
    }

    /** {@code distrolix-debug-TARGET-XXXX}: recognisable in {@code ps -a}, unique per session. */
    static String sidecarName(String targetName) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        String base = targetName.length() > 40 ? targetName.substring(0, 40) : targetName;
        return "distrolix-debug-" + base.replaceAll("[^a-zA-Z0-9_.-]", "-") + "-" + HexFormat.of().formatHex(b);
    }
}
