package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.debug.ContainerRuntime;
import dev.distrolix.debug.DebugPlan;
import dev.distrolix.debug.DebugSession;
import dev.distrolix.debug.SidecarRunner;
import dev.distrolix.debug.SidecarUser;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "debug",
        description = {
            "Debugs a running container that has no shell, from a sidecar.",
            "",
            "The sidecar shares the target's processes and network: it joins its pid and network namespaces "
                    + "(IPC and UTS too where the engine allows), runs as the user of the target's main process "
                    + "with CAP_SYS_PTRACE, and is removed when it ends, also on Ctrl-C or an error. Its tools "
                    + "come from a toolkit image that distrolix builds from Nix packages (busybox, strace) and "
                    + "loads into the engine once; later calls reuse it. Nothing is pulled from a registry. Nothing "
                    + "is written into the target or mounted over its /nix: the toolkit's own /nix/store lives in "
                    + "the sidecar's mount namespace.",
            "",
            "The target's files are at $TARGET_ROOT (/proc/1/root: its main process is pid 1 of the shared "
                    + "pid namespace).",
            "",
            "Without COMMAND: an interactive sh (on a terminal; else sh reads stdin). With `-- COMMAND`: its "
                    + "words are joined with spaces and run by the sidecar's sh, as ssh runs a remote command, so "
                    + "$TARGET_ROOT, pipes and globs are the sidecar's: quote them for your own shell. distrolix "
                    + "exits with COMMAND's status.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  distrolix debug web                     a shell next to the container 'web'",
            "  distrolix debug web -- ps               its processes",
            "  distrolix debug web -- wget -qO- http://127.0.0.1/     its network",
            "  distrolix debug web -- 'ls $TARGET_ROOT/nix/store'     its files",
            "  distrolix debug web -- strace -f -p 1   trace its main process",
            "  distrolix debug web --packages strace,curl -- curl -sI localhost",
            "  distrolix debug web --dry-run -- ps     print the podman/docker command",
            "  distrolix debug --kubernetes web-7d9/nginx -n shop --image busybox:1.36",
            "  distrolix debug --kubernetes pod/web --push registry.example:5000/tools",
            "",
            "The toolkit is built from <nixpkgs>, or the package set given with -I; on a machine without "
                    + "nixpkgs, this repository's: -I nixpkgs=testing/debian-pkgs.",
            "",
            "Unlike `docker debug` and cdebug, whose toolboxes claim the path /nix (cdebug even deletes it "
                    + "when its toolkit comes from Nixery), distrolix leaves the target's /nix alone: a Nix-built "
                    + "target keeps its store, the toolkit has its own. Kubernetes keeps an ephemeral container in "
                    + "the pod after it ends (it cannot be removed); podman and docker sidecars go.",
            "",
            "Exit status: COMMAND's; 3 if the sidecar cannot see the target's files (a user mismatch), or the "
                    + "target is unknown or stopped; 1 if the engine or kubectl is missing or fails; 2 for a usage "
                    + "error.",
        },
        mixinStandardHelpOptions = true)
final class DebugCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Distrolix parent;

    @Parameters(index = "0", paramLabel = "CONTAINER",
            description = "The container's name or id; with --kubernetes, [pod/]POD[/CONTAINER].")
    String target;

    @Parameters(index = "1..*", paramLabel = "COMMAND",
            description = "After --: what to run in the sidecar (default: an interactive sh).")
    List<String> command = new ArrayList<>();

    @Option(names = "--runtime", paramLabel = "ENGINE",
            description = "podman or docker. Default: podman if installed, else docker (the one that has the container).")
    String runtime;

    @Option(names = "--image", paramLabel = "REF",
            description = "Use this image (it needs a sh) instead of the toolkit distrolix builds.")
    String image;

    @Option(names = "--packages", paramLabel = "PKG", split = ",",
            description = "Build the toolkit from these Nix packages (busybox is always added), e.g. strace,curl.")
    List<String> packages;

    @Option(names = {"-I", "--include"}, paramLabel = "PATH",
            description = "Add to the Nix search path when building the toolkit (e.g. -I nixpkgs=/path/to/nixpkgs).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--user", paramLabel = "UID[:GID]",
            description = "Run the sidecar as this user. Default: the user of the target's main process.")
    String user;

    @Option(names = "--no-ptrace",
            description = "Do not add CAP_SYS_PTRACE (then only the target's own user can see its files).")
    boolean noPtrace;

    @Option(names = "--privileged", description = "Also add CAP_SYS_ADMIN (nsenter, mount); Kubernetes: profile sysadmin.")
    boolean privileged;

    @Option(names = "--kubernetes", description = "CONTAINER is [pod/]POD[/CONTAINER] in the current kubectl context (kubectl's pod/NAME form works; other types such as deploy/NAME are refused: name a pod).")
    boolean kubernetes;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The pod's namespace (--kubernetes).")
    String namespace;

    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "kubectl debug's profile: general (default), sysadmin, netadmin, baseline, restricted, legacy.")
    String profile;

    @Option(names = "--push", paramLabel = "REGISTRY/REPO",
            description = "Push the toolkit there first, for a cluster to pull it (--kubernetes).")
    String push;

    @Option(names = "--dry-run", description = "Print the exact command line that starts the sidecar, and do nothing. With --kubernetes it needs no --image or --push: the image is then the placeholder IMAGE.")
    boolean dryRun;

    @Option(names = "--json", description = "With --dry-run: print the plan as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but COMMAND's output (no toolkit notes).")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkDoubleDash();
        if (json && !dryRun) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--json needs --dry-run");
        }
        boolean realStdio = parent != null && parent.realStdio;
        DebugSession session = (kubernetes ? DebugSession.kubernetes(target) : DebugSession.container(target))
                .image(image)
                .packages(packages)
                .includes(includes)
                .ptrace(!noPtrace)
                .privileged(privileged)
                .namespace(namespace)
                .profile(profile)
                .push(push)
                .command(command)
                .tty(realStdio && System.console() != null)
                .dryRun(dryRun);
        if (runtime != null) {
            session.runtime(ContainerRuntime.parse(runtime));
        }
        if (user != null) {
            session.user(SidecarUser.parseOption(user));
        }
        Consumer<String> notes = quiet ? line -> { } : line -> {
            err.println(line);
            err.flush();
        };
        try (DebugPlan plan = session.plan()) {
            plan.notes().forEach(notes);
            if (dryRun) {
                out.println(json ? toJson(plan) : plan.commandLine());
                out.flush();
                return 0;
            }
            SidecarRunner.Stdio stdio = realStdio ? SidecarRunner.Stdio.inherit() : SidecarRunner.Stdio.to(out, err);
            return session.run(plan, stdio, notes);
        }
    }

    /** COMMAND must follow "--": without it, a typo in an option would silently become a command. */
    private void checkDoubleDash() {
        if (!command.isEmpty() && !spec.commandLine().getParseResult().originalArgs().contains("--")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "put COMMAND after --, e.g. distrolix debug " + target + " -- " + String.join(" ", command));
        }
    }

    private static String toJson(DebugPlan plan) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runtime", plan.runtime().map(ContainerRuntime::command).orElse("kubectl"));
        m.put("sidecar", plan.sidecar());
        m.put("argv", plan.argv());
        m.put("commandLine", plan.commandLine());
        m.put("buildsToolkit", plan.build().map(DebugPlan.ToolkitBuild::target).orElse(null));
        m.put("notes", plan.notes());
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    }
}
