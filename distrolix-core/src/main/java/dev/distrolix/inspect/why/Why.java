package dev.distrolix.inspect.why;

import dev.distrolix.InputException;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.image.Image;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.inspect.refs.ReferenceGraph;
import dev.distrolix.inspect.sbom.SbomBuilder;
import dev.distrolix.inspect.scan.ImageTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code nix why-depends} for an image, from the image alone: the chain of references from the
 * entrypoint's store path (or the image's roots) to a store path, over the graph rebuilt by
 * scanning file contents (see {@link dev.distrolix.inspect.refs.ReferenceScanner}).
 *
 * <p>Starting points, in order: {@code --from} if given; else the store path holding the
 * Entrypoint/Cmd program (found through the config's PATH, links followed); if that does not
 * reach the target (or there is none), the image's roots: store paths named from outside the
 * store ({@code /usr/local/bin/nginx -> /nix/store/…}, configuration files) or by no other store
 * path.
 *
 * <p>Sizes (bytes of regular files, as the image holds them): <b>own</b> — the target's files;
 * <b>closure</b> — the target and everything it references, transitively; <b>only through it</b>
 * — the part of its closure that no root reaches without passing through the target: what the
 * image would lose if nothing referenced the target any more. That last figure is the cost of
 * the dependency.
 */
public final class Why {
    private Why() {}

    /** One step of a chain: a store path and the file of the previous step that names it ("" for the first). */
    public record Step(StorePathIndex.Entry path, String namedBy) {}

    /** The answer for one target. */
    public record Answer(StorePathIndex.Entry target, String startedFrom, List<String> roots, List<Step> chain,
                         SortedMap<String, SortedSet<String>> allPaths, long ownBytes, long closureBytes,
                         long onlyThroughBytes) {}

    /**
     * Resolves targets and starting points in one pass over the image; {@code scans}: the layer scans to replay and
     * keep (null: every layer read, nothing kept).
     */
    public static List<Answer> explain(String reference, Image image, String target, String from,
                                       dev.distrolix.inspect.scan.ScanCache scans) throws IOException {
        SbomBuilder.Scan scan = SbomBuilder.scan(image, scans);
        ImageTree tree = new ImageTree(scan.fs());
        if (scan.store().isEmpty()) {
            throw new InputException(reference + ": has no /nix/store paths; why follows references between "
                    + "store paths");
        }
        List<String> targets = resolve(target, scan, tree, reference);
        ReferenceGraph g = scan.graph();
        SortedSet<String> imageRoots = new TreeSet<>(g.roots());
        for (String p : g.paths()) {
            if (!g.outsideReferrers(p).isEmpty()) {
                imageRoots.add(p);
            }
        }
        List<String> starts;
        String startedFrom;
        if (from != null) {
            starts = resolve(from, scan, tree, reference);
            startedFrom = "--from " + from;
        } else {
            String entry = entrypointStorePath(image.config().config(), tree);
            starts = entry == null ? List.copyOf(imageRoots) : List.of(entry);
            startedFrom = entry == null ? "the image's roots" : "the entrypoint's store path";
        }
        List<Answer> answers = new ArrayList<>();
        for (String t : targets) {
            List<String> s = starts;
            String how = startedFrom;
            List<String> chain = g.shortestChain(s, t);
            if (chain.isEmpty() && from == null) {
                s = List.copyOf(imageRoots);
                how = "the image's roots (the entrypoint's store path does not reach it)";
                chain = g.shortestChain(s, t);
            }
            if (chain.isEmpty()) {
                if (from != null) {
                    throw new InputException("'" + from + "' does not depend on " + t);
                }
                chain = List.of(t); // unreachable from any root: it is one
            }
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < chain.size(); i++) {
                String namedBy = i == 0 ? "" : g.references(chain.get(i - 1)).get(chain.get(i));
                steps.add(new Step(scan.store().get(chain.get(i)), namedBy));
            }
            SortedSet<String> closure = g.closure(t);
            List<String> otherRoots = imageRoots.stream().filter(r -> !r.equals(t)).toList();
            SortedSet<String> elsewhere = g.reachable(otherRoots, t);
            SortedSet<String> only = new TreeSet<>(closure);
            only.removeAll(elsewhere);
            answers.add(new Answer(scan.store().get(t), how, s, steps, allPaths(g, s, t),
                    scan.store().get(t).size(), g.size(closure), g.size(only)));
        }
        return answers;
    }

    /** Every edge that lies on some path from the starts to the target (the --all tree). */
    static SortedMap<String, SortedSet<String>> allPaths(ReferenceGraph g, List<String> starts, String target) {
        SortedSet<String> fromStarts = g.reachable(starts, null);
        Map<String, Boolean> reaches = new LinkedHashMap<>();
        SortedMap<String, SortedSet<String>> out = new TreeMap<>();
        for (String p : fromStarts) {
            if (reachesTarget(g, p, target, reaches)) {
                SortedSet<String> next = new TreeSet<>();
                for (String r : g.references(p).keySet()) {
                    if (reachesTarget(g, r, target, reaches)) {
                        next.add(r);
                    }
                }
                out.put(p, next);
            }
        }
        return out;
    }

    private static boolean reachesTarget(ReferenceGraph g, String p, String target, Map<String, Boolean> memo) {
        if (p.equals(target)) {
            return true;
        }
        Boolean known = memo.get(p);
        if (known != null) {
            return known;
        }
        memo.put(p, false); // cycles (rare in a store, possible in an image) end here
        boolean r = false;
        for (String ref : g.references(p).keySet()) {
            if (reachesTarget(g, ref, target, memo)) {
                r = true;
                break;
            }
        }
        memo.put(p, r);
        return r;
    }

    /** The store path of the Entrypoint/Cmd program, or null. */
    static String entrypointStorePath(ContainerConfig config, ImageTree tree) {
        List<String> argv = new ArrayList<>(config.entrypoint());
        argv.addAll(config.cmd());
        if (argv.isEmpty()) {
            return null;
        }
        String program = argv.get(0);
        List<String> candidates = new ArrayList<>();
        if (program.contains("/")) {
            candidates.add(program.startsWith("/") ? program
                    : (config.workingDir() == null ? "" : config.workingDir()) + "/" + program);
        } else {
            String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
            for (String e : config.env()) {
                if (e.startsWith("PATH=")) {
                    path = e.substring(5);
                }
            }
            for (String d : path.split(":")) {
                candidates.add(d + "/" + program);
            }
        }
        for (String c : candidates) {
            ImageTree.Resolved r = tree.resolve(c);
            FsEntry f = r.ok() ? tree.regularFile(r.entry()) : null;
            if (f != null) {
                return StorePathIndex.storePathOf(f.path());
            }
        }
        return null;
    }

    /**
     * A store path (/nix/store/…, a base name or hash part), a file path of the image (its store
     * path, links followed), or a package name (every store path of that name).
     */
    static List<String> resolve(String what, SbomBuilder.Scan scan, ImageTree tree, String image) {
        StorePathIndex store = scan.store();
        if (what.startsWith("/")) {
            String base = StorePathIndex.storePathOf(what);
            if (base == null) {
                ImageTree.Resolved r = tree.resolve(what);
                if (!r.ok()) {
                    throw new InputException(image + ": " + what + " is not in the image");
                }
                base = StorePathIndex.storePathOf(r.path());
                if (base == null) {
                    throw new InputException(image + ": " + what + " is not in /nix/store (it resolves to " + r.path()
                            + "); why follows references between store paths");
                }
            }
            if (store.get(base) == null) {
                throw new InputException(image + ": /nix/store/" + base + " is not in the image");
            }
            return List.of(base);
        }
        List<String> out = new ArrayList<>();
        for (StorePathIndex.Entry e : store.entries()) {
            if (e.baseName().equals(what) || e.hash().equals(what) || e.name().equals(what)
                    || (e.name() + "-" + e.version()).equals(what)) {
                out.add(e.baseName());
            }
        }
        if (out.isEmpty()) {
            TreeSet<String> names = new TreeSet<>();
            store.entries().forEach(e -> names.add(e.name()));
            throw new InputException(image + ": no store path named '" + what + "' (the image has: "
                    + String.join(", ", names) + ")");
        }
        return out;
    }
}
