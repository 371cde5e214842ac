package dev.distrolix.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Lists the tools found (nix, podman, docker, skopeo) and their uses.",
            "", "Only `nix` is needed to build from a spec; `build --locked` needs none of them."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    record Tool(String name, String enables, String without) {}

    static final List<Tool> TOOLS = List.of(
            new Tool("nix", "build and lock: evaluating packages and their closure, reading /nix/store",
                    "only `build --locked` (from a lock and its binary cache), copy, inspect, audit, sbom, diff"),
            new Tool("podman", "build -o podman[:NAME:TAG] (load), opening podman:NAME, debug sidecars",
                    "no podman: targets or sources"),
            new Tool("docker", "build -o docker[:NAME:TAG] and docker: sources (a Docker engine must answer too)",
                    "no docker: targets or sources"),
            new Tool("skopeo", "nothing distrolix needs: an independent check of what it writes (skopeo inspect/copy)",
                    "nothing is lost"));

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Tool t : TOOLS) {
            Optional<Path> p = onPath(t.name());
            if (p.isEmpty()) {
                out.printf("%-7s not found: %s%n", t.name(), t.without());
                continue;
            }
            Optional<String> version = version(p.get());
            if (version.isEmpty()) {
                out.printf("%-7s %s does not run (`%s --version` failed): %s%n", t.name(), p.get(), t.name(), t.without());
            } else {
                out.printf("%-7s %s (%s): %s%n", t.name(), p.get(), version.get(), t.enables());
            }
        }
        out.flush();
        return 0;
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The first line of {@code tool --version}, if it runs and exits 0 within 10 s. */
    static Optional<String> version(Path tool) {
        try {
            Process p = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] head = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String first = new String(head, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            return p.exitValue() == 0 && !first.isEmpty() ? Optional.of(first) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
