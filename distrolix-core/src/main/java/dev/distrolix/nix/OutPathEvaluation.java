package dev.distrolix.nix;

import dev.distrolix.Background;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The out paths of packages from evaluation alone ({@link NixCli#evaluatedOutPaths}): one {@code nix-instantiate
 * --eval} per file the packages come from, asked for each package's {@code type} and {@code outPath}, the files'
 * evaluations side by side. {@code nixInstantiate} runs {@code nix-instantiate} with the arguments given.
 */
record OutPathEvaluation(Function<List<String>, ProcessRunner.Result> nixInstantiate, String storeDir) {
    /** The out path of each expression, in their order, or empty when evaluation cannot tell one of them. */
    Optional<List<StorePath>> outPaths(List<NixCli.Expression> expressions, List<String> searchAndArgs) {
        Map<String, List<Integer>> byFile = new LinkedHashMap<>();
        for (int i = 0; i < expressions.size(); i++) {
            byFile.computeIfAbsent(expressions.get(i).file(), f -> new ArrayList<>()).add(i);
        }
        if (byFile.isEmpty()) {
            return Optional.of(List.of());
        }
        StorePath[] paths = new StorePath[expressions.size()];
        List<Map.Entry<String, List<Integer>>> files = new ArrayList<>(byFile.entrySet());
        List<Background<Boolean>> others = new ArrayList<>();
        try {
            for (Map.Entry<String, List<Integer>> f : files.subList(1, files.size())) {
                others.add(Background.start("distrolix-nix-eval",
                        () -> evaluate(f.getKey(), f.getValue(), expressions, searchAndArgs, paths)));
            }
            boolean told = evaluate(files.get(0).getKey(), files.get(0).getValue(), expressions, searchAndArgs, paths);
            for (Background<Boolean> other : others) {
                told &= other.join();
            }
            return told ? Optional.of(List.of(paths)) : Optional.empty();
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new UncheckedIOException(e); // stopped: not something evaluation cannot tell
            }
            return Optional.empty();
        } finally {
            others.forEach(Background::cancel);
        }
    }

    /** Evaluates the expressions {@code at}, all of {@code file}, into {@code paths}; false: it cannot tell. */
    private boolean evaluate(String file, List<Integer> at, List<NixCli.Expression> expressions,
                             List<String> searchAndArgs, StorePath[] paths) {
        List<String> args = new ArrayList<>(List.of("--eval", file));
        for (int i : at) {
            String prefix = expressions.get(i).attr().map(a -> a + ".").orElse("");
            args.addAll(List.of("-A", prefix + "type", "-A", prefix + "outPath"));
        }
        args.addAll(searchAndArgs);
        ProcessRunner.Result r = nixInstantiate.apply(args);
        String[] values = r.stdout().strip().split("\n");
        if (!r.ok() || values.length != 2 * at.size()) {
            return false;
        }
        for (int k = 0; k < at.size(); k++) {
            String type = values[2 * k];
            String outPath = values[2 * k + 1];
            if (!type.equals("\"derivation\"") || !outPath.startsWith("\"" + storeDir + "/") || !outPath.endsWith("\"")) {
                return false; // a list or a set of derivations, or a content-addressed one (no out path yet)
            }
            try {
                paths[at.get(k)] = StorePath.parse(outPath.substring(1, outPath.length() - 1));
            } catch (IllegalArgumentException notAStorePath) {
                return false;
            }
        }
        return true;
    }
}
