package dev.distrolix.nix;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the Nix executables and runs them. The executables are looked up once per call in the
 * configured directory or on the configured PATH, and invoked by absolute path, so a test can
 * simulate "Nix is not installed" with an empty PATH without touching the real installation.
 */
final class NixTools {
    private final String searchPath;
    private final Path binDir;
    private final ProcessRunner runner;

    NixTools(String searchPath, Path binDir, Map<String, String> environment, Path workingDirectory) {
        this.searchPath = searchPath == null ? "" : searchPath;
        this.binDir = binDir;
        this.runner = new ProcessRunner(environment, workingDirectory);
    }

    /** Absolute path of a Nix tool, or a {@link NixNotFoundException} naming where it was looked for. */
    String locate(String tool) {
        if (binDir != null) {
            Path p = binDir.resolve(tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
            throw new NixNotFoundException(tool, "Nix is not installed (" + tool + " not found in " + binDir + ")");
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue; // an empty PATH entry means "current directory" to a shell; never trust that here
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        throw new NixNotFoundException(tool, "Nix is not installed (" + tool + " not found on PATH)");
    }

    /** {@code tool} started for a conversation ({@link ProcessRunner#start}). */
    Process start(String tool, List<String> args) throws java.io.IOException {
        return runner.start(command(tool, args));
    }

    /** {@code tool args}; an evaluation a spare can answer is answered by it ({@link SpareEvaluations}). */
    ProcessRunner.Result run(Duration timeout, String tool, List<String> args) {
        if (tool.equals("nix-instantiate")) {
            java.util.Optional<ProcessRunner.Result> spare = SpareEvaluations.answer(this, timeout, args);
            if (spare.isPresent()) {
                return spare.get();
            }
        }
        return runner.run(command(tool, args), timeout);
    }

    ProcessRunner runner() {
        return runner;
    }

    /** {@code tool} by its absolute path, then {@code args}. */
    private List<String> command(String tool, List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(locate(tool));
        command.addAll(args);
        return command;
    }
}
