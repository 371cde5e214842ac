package dev.distrolix.nix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Queries the runtime closure of store paths. First choice is one {@code nix path-info --json -r}
 * call, which also rejects an invalid root; when that fails otherwise (no {@code nix} binary,
 * experimental features refused, an unknown JSON shape), it falls back to the stable
 * {@code nix-store} interface, after a batched validity check:
 * {@code nix-store -qR} for the closure and {@code nix-store --dump-db PATHS} for sizes, hashes and
 * per-path references — both accept many paths, so the fallback costs two calls per chunk.
 * ({@code nix-store -q --references A B} would print the <em>union</em> of the references of A and
 * B, which is why it cannot be used batched; it is the last resort, one call per path.)
 */
final class ClosureQuery {
    /** Keep argument vectors far below ARG_MAX even for huge closures. */
    static final int CHUNK = 500;

    private final NixTools tools;
    private final Duration timeout;
    private final String storeDir;

    ClosureQuery(NixTools tools, Duration timeout, String storeDir) {
        this.tools = tools;
        this.timeout = timeout;
        this.storeDir = storeDir;
    }

    /**
     * The same, asking {@code prepared} first when there is one (a {@code nix-store --serve} started before the roots
     * were known); what it cannot answer goes to path-info, whose words report an invalid root.
     */
    Closure query(Collection<StorePath> roots, NixServe prepared) {
        if (prepared != null && !roots.isEmpty()) {
            try {
                return prepared.closure(roots);
            } catch (java.io.IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new NixException(List.of("nix-store", "--serve"), "the closure query was interrupted", e);
                }
            }
        }
        return query(roots);
    }

    Closure query(Collection<StorePath> roots) {
        if (roots.isEmpty()) {
            return new Closure(List.of(), List.of());
        }
        NixException first;
        try {
            return withPathInfo(roots);
        } catch (NixNotFoundException e) {
            first = e; // no `nix` binary: nix-store alone may still be there
        } catch (NixInputException e) {
            throw e; // an invalid root stays invalid whichever command we ask
        } catch (NixException e) {
            first = e;
        } catch (IllegalArgumentException e) {
            // path-info printed JSON we cannot read: a Nix we do not understand, not the user's input
            first = new NixException(List.of("nix", "path-info"), "nix path-info: " + e.getMessage(), e);
        }
        try {
            requireValid(roots);
            return withNixStore(roots);
        } catch (NixNotFoundException e) {
            // Report why `nix` failed rather than that nix-store is missing, unless both are missing.
            throw first instanceof NixNotFoundException ? e : first;
        }
    }

    /** One batched validity check, for the nix-store queries (which do not say which root is invalid). */
    void requireValid(Collection<StorePath> roots) {
        for (List<String> chunk : chunks(roots.stream().map(StorePath::fullPath).toList())) {
            String invalid = nixStore(prepend(List.of("--check-validity", "--print-invalid"), chunk)).strip();
            if (!invalid.isEmpty()) {
                throw new NixInputException(List.of("nix-store", "--check-validity"),
                        NixErrors.invalidStorePath(invalid.lines().findFirst().orElseThrow()), "");
            }
        }
    }

    /**
     * {@code substitute = false}: an invalid root must fail at once with "path … is not valid", as
     * {@code nix-store --check-validity} would say, rather than be looked up on the binary caches
     * first (a download, or ~4 s of retries offline). A separate validity check would cost a
     * process per build; this costs nothing.
     */
    Closure withPathInfo(Collection<StorePath> roots) {
        List<String> args = new ArrayList<>(List.of("path-info", "--json", "-r",
                "--extra-experimental-features", "nix-command", "--option", "substitute", "false"));
        roots.forEach(r -> args.add(r.fullPath()));
        ProcessRunner.Result r = tools.run(timeout, "nix", args);
        if (!r.ok()) {
            throw NixErrors.forQuery(r.command(), "nix path-info", r.stderr());
        }
        PathInfoJson.Parsed parsed = PathInfoJson.parse(r.stdout(), storeDir);
        if (!parsed.invalid().isEmpty()) {
            throw new NixInputException(r.command(), NixErrors.invalidStorePath(parsed.invalid().get(0).fullPath()),
                    r.stderr());
        }
        return new Closure(roots, parsed.infos());
    }

    Closure withNixStore(Collection<StorePath> roots) {
        Set<StorePath> all = new TreeSet<>();
        for (List<String> chunk : chunks(roots.stream().map(StorePath::fullPath).toList())) {
            all.addAll(lines(nixStore(prepend(List.of("--query", "--requisites"), chunk))));
        }
        List<PathInfo> infos = new ArrayList<>();
        List<String> paths = all.stream().map(StorePath::fullPath).toList();
        for (List<String> chunk : chunks(paths)) {
            String dump;
            try {
                dump = nixStore(prepend(List.of("--dump-db"), chunk));
            } catch (NixInputException | NixNotFoundException e) {
                throw e;
            } catch (NixException e) {
                infos.addAll(onePerPath(chunk)); // a nix-store without --dump-db PATHS
                continue;
            }
            try {
                infos.addAll(parseDumpDb(dump));
            } catch (IllegalArgumentException e) {
                throw new NixException(List.of("nix-store", "--dump-db"),
                        "nix-store --dump-db printed unexpected output: " + e.getMessage(), e);
            }
        }
        return new Closure(roots, infos);
    }

    /** Last resort for a nix-store without {@code --dump-db PATHS}: sizes and hashes batched, references per path. */
    private List<PathInfo> onePerPath(List<String> chunk) {
        List<String> sizes = nixStore(prepend(List.of("--query", "--size"), chunk)).lines().toList();
        List<String> hashes = nixStore(prepend(List.of("--query", "--hash"), chunk)).lines().toList();
        if (sizes.size() != chunk.size() || hashes.size() != chunk.size()) {
            throw new NixException(List.of("nix-store", "--query"), "nix-store --query printed " + sizes.size()
                    + " sizes and " + hashes.size() + " hashes for " + chunk.size() + " paths", "");
        }
        List<PathInfo> infos = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            List<StorePath> refs = lines(nixStore(List.of("--query", "--references", chunk.get(i))));
            infos.add(new PathInfo(StorePath.parse(chunk.get(i)), Long.parseLong(sizes.get(i).strip()),
                    hashes.get(i).strip(), refs));
        }
        return infos;
    }

    private String nixStore(List<String> args) {
        ProcessRunner.Result r = tools.run(timeout, "nix-store", args);
        if (!r.ok()) {
            throw NixErrors.forQuery(r.command(), "nix-store", r.stderr());
        }
        return r.stdout();
    }

    /**
     * Parses {@code nix-store --dump-db PATHS}: per path the lines path, NAR hash (bare hex
     * SHA-256 in the 2.x versions checked), NAR size, deriver (may be empty), reference count, then
     * that many references. A bare hex hash gets the {@code sha256:} prefix of the database form.
     */
    static List<PathInfo> parseDumpDb(String text) {
        List<String> lines = text.lines().toList();
        List<PathInfo> infos = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isEmpty()) {
                i++;
                continue;
            }
            if (i + 4 >= lines.size()) {
                throw new IllegalArgumentException("truncated nix-store --dump-db output at line " + (i + 1));
            }
            StorePath path = StorePath.parse(lines.get(i));
            String hash = lines.get(i + 1).strip();
            if (hash.matches("[0-9a-f]{64}")) {
                hash = "sha256:" + hash;
            }
            long narSize = Long.parseLong(lines.get(i + 2).strip());
            int count = Integer.parseInt(lines.get(i + 4).strip());
            if (i + 5 + count > lines.size()) {
                throw new IllegalArgumentException("truncated references of " + path + " in nix-store --dump-db output");
            }
            List<StorePath> refs = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                refs.add(StorePath.parse(lines.get(i + 5 + k).strip()));
            }
            StorePath deriver = PathInfoJson.deriver(lines.get(i + 3).strip(), StorePath.DEFAULT_STORE_DIR);
            infos.add(new PathInfo(path, narSize, hash, refs, deriver));
            i += 5 + count;
        }
        return infos;
    }

    private static List<StorePath> lines(String stdout) {
        Set<StorePath> out = new LinkedHashSet<>();
        stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> out.add(StorePath.parse(l)));
        return List.copyOf(out);
    }

    private static List<String> prepend(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    static List<List<String>> chunks(List<String> items) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += CHUNK) {
            out.add(items.subList(i, Math.min(items.size(), i + CHUNK)));
        }
        return out;
    }
}
