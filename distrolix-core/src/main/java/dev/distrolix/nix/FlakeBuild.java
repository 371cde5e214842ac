package dev.distrolix.nix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A spec's flake reference built with {@code nix build}: what {@link NixCli#resolve} runs for a flake. */
final class FlakeBuild {
    private static final String FLAKE_FEATURES = "nix-command flakes";

    private FlakeBuild() {
    }

    /** The out paths of flake {@code ref}, built with {@code nix build}. */
    static List<StorePath> outPaths(NixTools tools, Duration buildTimeout, String ref) {
        List<String> common = List.of("build", ref, "--no-link", "--extra-experimental-features", FLAKE_FEATURES);
        List<String> args = new ArrayList<>(common);
        args.add("--print-out-paths");
        ProcessRunner.Result r = tools.run(buildTimeout, "nix", args);
        if (!r.ok() && NixErrors.unknownFlag(r.stderr()).filter("--print-out-paths"::equals).isPresent()) {
            // Nix < 2.9 has no --print-out-paths; --json (same build) lists the outputs too.
            args = new ArrayList<>(common);
            args.add("--json");
            r = tools.run(buildTimeout, "nix", args);
            if (r.ok()) {
                return OutPaths.fromJson("nix build", r);
            }
        }
        if (!r.ok()) {
            throw flakeError(r.command(), ref, r.stderr());
        }
        return OutPaths.fromLines("nix build", r);
    }

    /** A flake this Nix cannot build (no flakes, no such attribute) is the input's fault; anything else Nix's. */
    private static dev.distrolix.DistrolixException flakeError(List<String> argv, String ref, String stderr) {
        String err = NixErrors.clean(stderr);
        if (NixErrors.unknownFlag(err).filter(f -> f.startsWith("--extra-experimental")).isPresent()
                || err.contains("unknown experimental feature 'flakes'")) {
            // the spec asks for a flake this machine's Nix cannot build: the input, as before
            return new NixInputException(argv, "cannot build flake " + ref + ": the installed Nix does not support flakes",
                    stderr);
        }
        String message = "cannot build flake " + ref + ": " + NixErrors.firstError(stderr).orElse("nix build failed");
        if (err.contains("does not provide attribute") || err.contains("does not exist")
                || err.contains("cannot find flake")) {
            return new NixInputException(argv, message, stderr);
        }
        return new NixException(argv, message, stderr);
    }
}
