package dev.distrolix.inspect;

import dev.distrolix.image.ContainerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What differs between two images, in the terms that explain it: Nix store paths (added, removed,
 * rebuilt with the same version, or a version change {@code zlib 1.2.13 → 1.2.13.1}); the files
 * outside /nix/store (added, removed, changed in type, size, mode, owner, content or link target);
 * and the runtime config. Files whose only difference is which build of a store path they name
 * (a symlink into it, a config file that includes it) are listed apart, as following the store
 * path changes, so the verdict names only the real causes.
 */
public record ImageDiff(boolean identical, boolean sameContent, List<StorePathChange> storePaths,
                        List<FileChange> files, List<FileChange> followStorePaths, List<ConfigChange> config) {

    public enum Kind { ADDED, REMOVED, REBUILT, VERSION_CHANGED, CHANGED }

    /** {@code before}/{@code after} are null when added/removed. */
    public record StorePathChange(Kind kind, String name, StorePathIndex.Entry before, StorePathIndex.Entry after) {
        public String describe() {
            if (kind == Kind.ADDED) {
                return "+ " + after.nameAndVersion();
            }
            if (kind == Kind.REMOVED) {
                return "- " + before.nameAndVersion();
            }
            if (kind == Kind.VERSION_CHANGED) {
                return name + " " + before.version() + " → " + after.version();
            }
            return before.nameAndVersion() + " rebuilt (" + before.hash().substring(0, 8) + " → "
                    + after.hash().substring(0, 8) + ")";
        }
    }

    /** {@code what} lists the changed attributes: type, size, mode, owner, content, target. */
    public record FileChange(Kind kind, String path, FsEntry before, FsEntry after, List<String> what) {}

    public record ConfigChange(String field, String before, String after) {}

    public static ImageDiff of(ImageReport a, ImageReport b) {
        List<StorePathChange> sp = storePaths(a.storePaths(), b.storePaths());
        Map<String, String> renames = new HashMap<>();
        for (StorePathChange c : sp) {
            if (c.before() != null && c.after() != null) {
                renames.put(c.before().baseName(), c.after().baseName());
            }
        }
        List<FileChange> files = new ArrayList<>();
        List<FileChange> follow = new ArrayList<>();
        files(a.fs(), b.fs(), renames, files, follow);
        List<ConfigChange> config = config(a.image().config().config(), b.image().config().config(), renames);
        if (!Objects.equals(a.image().platform(), b.image().platform())) {
            config.add(0, new ConfigChange("platform", a.image().platform().toString(), b.image().platform().toString()));
        }
        // The image ID (config digest) covers every layer's diff_id and the whole config: equal IDs
        // are the same filesystem and runtime settings, whatever compression or manifest carries them.
        boolean identical = a.image().configDigest().equals(b.image().configDigest());
        boolean same = sp.isEmpty() && files.isEmpty() && follow.isEmpty() && config.isEmpty();
        return new ImageDiff(identical, same, sp, files, follow, config);
    }

    /** One line: "identical (…)", or what makes the difference. */
    public String verdict(ImageReport a, ImageReport b) {
        if (identical) {
            if (bothKeepManifests(a, b) && a.image().sourceDigest().equals(b.image().sourceDigest())) {
                return "identical: same manifest digest " + a.image().sourceDigest();
            }
            String id = "identical: same image ID (config digest, which covers every layer's diff_id) "
                    + a.image().configDigest();
            return bothKeepManifests(a, b) ? id + "; the manifests differ (layer compression or annotations)" : id;
        }
        if (sameContent) {
            return "same files, store paths and config, different bytes (layering, compression, history or timestamps)";
        }
        List<String> causes = new ArrayList<>();
        storePaths.forEach(c -> causes.add(c.describe()));
        files.forEach(f -> causes.add((f.kind() == Kind.ADDED ? "+" : f.kind() == Kind.REMOVED ? "-" : "~") + f.path()));
        if (!config.isEmpty()) {
            causes.add("config " + String.join(", ", config.stream().map(ConfigChange::field).toList()));
        }
        if (causes.isEmpty()) {
            causes.add(followStorePaths.size() + " files naming other store path builds");
        }
        String joined = String.join("; ", causes.subList(0, Math.min(8, causes.size())));
        return "different: " + joined + (causes.size() > 8 ? "; … " + (causes.size() - 8) + " more" : "");
    }

    /**
     * Whether both images carry the manifest their source stores. A docker-archive has none, and
     * podman's export converts it: the image ID (config digest, which covers every diff_id) is
     * then what identifies an image.
     */
    private static boolean bothKeepManifests(ImageReport a, ImageReport b) {
        return !a.image().converted() && !b.image().converted() && a.image().sourceDigest() != null
                && b.image().sourceDigest() != null;
    }

    static List<StorePathChange> storePaths(StorePathIndex a, StorePathIndex b) {
        Map<String, List<StorePathIndex.Entry>> removed = new LinkedHashMap<>();
        Map<String, List<StorePathIndex.Entry>> added = new LinkedHashMap<>();
        for (StorePathIndex.Entry e : a.entries()) {
            if (b.get(e.baseName()) == null) {
                removed.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
            }
        }
        for (StorePathIndex.Entry e : b.entries()) {
            if (a.get(e.baseName()) == null) {
                added.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
            }
        }
        List<StorePathChange> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(removed.keySet());
        names.addAll(added.keySet());
        for (String name : names) {
            List<StorePathIndex.Entry> before = new ArrayList<>(removed.getOrDefault(name, List.of()));
            List<StorePathIndex.Entry> after = new ArrayList<>(added.getOrDefault(name, List.of()));
            // same name and version first (a rebuild), then pair what is left by name (a version change)
            for (var it = before.iterator(); it.hasNext(); ) {
                StorePathIndex.Entry x = it.next();
                StorePathIndex.Entry y = after.stream().filter(e -> e.version().equals(x.version())).findFirst().orElse(null);
                if (y != null) {
                    out.add(new StorePathChange(Kind.REBUILT, name, x, y));
                    it.remove();
                    after.remove(y);
                }
            }
            while (!before.isEmpty() && !after.isEmpty()) {
                out.add(new StorePathChange(Kind.VERSION_CHANGED, name, before.remove(0), after.remove(0)));
            }
            before.forEach(x -> out.add(new StorePathChange(Kind.REMOVED, name, x, null)));
            after.forEach(y -> out.add(new StorePathChange(Kind.ADDED, name, null, y)));
        }
        return out;
    }

    private static void files(FlatFilesystem a, FlatFilesystem b, Map<String, String> renames, List<FileChange> out,
                              List<FileChange> follow) {
        for (FsEntry x : a.entries()) {
            if (StorePathIndex.storePathOf(x.path()) != null) {
                continue; // store path content is compared as store paths
            }
            FsEntry y = b.get(x.path());
            if (y == null) {
                out.add(new FileChange(Kind.REMOVED, x.path(), x, null, List.of()));
                continue;
            }
            List<String> what = changed(x, y, false, renames);
            if (!what.isEmpty()) {
                boolean onlyRefs = changed(x, y, true, renames).isEmpty();
                (onlyRefs ? follow : out).add(new FileChange(Kind.CHANGED, x.path(), x, y, what));
            }
        }
        for (FsEntry y : b.entries()) {
            if (StorePathIndex.storePathOf(y.path()) == null && a.get(y.path()) == null) {
                out.add(new FileChange(Kind.ADDED, y.path(), null, y, List.of()));
            }
        }
    }

    private static List<String> changed(FsEntry x, FsEntry y, boolean ignoreRenames, Map<String, String> renames) {
        List<String> what = new ArrayList<>();
        if (x.type() != y.type()) {
            what.add("type");
        }
        if (x.size() != y.size() && !(ignoreRenames && sameIgnoringStoreHashes(x, y))) {
            what.add("size");
        }
        if (x.mode() != y.mode()) {
            what.add("mode");
        }
        if (x.uid() != y.uid() || x.gid() != y.gid()) {
            what.add("owner");
        }
        boolean content = ignoreRenames ? !sameIgnoringStoreHashes(x, y) : !Objects.equals(x.sha256(), y.sha256());
        if (content) {
            what.add("content");
        }
        String xt = ignoreRenames ? renamed(x.linkTarget(), renames) : x.linkTarget();
        if (!Objects.equals(xt, y.linkTarget())) {
            what.add("target");
        }
        return what;
    }

    private static boolean sameIgnoringStoreHashes(FsEntry x, FsEntry y) {
        return Objects.equals(x.contentIgnoringStoreHashes(), y.contentIgnoringStoreHashes());
    }

    private static String renamed(String s, Map<String, String> renames) {
        if (s == null) {
            return null;
        }
        String r = s;
        for (Map.Entry<String, String> e : renames.entrySet()) {
            r = r.replace(e.getKey(), e.getValue());
        }
        return r;
    }

    private static List<ConfigChange> config(ContainerConfig a, ContainerConfig b, Map<String, String> renames) {
        List<ConfigChange> out = new ArrayList<>();
        field(out, "User", a.user(), b.user(), renames);
        field(out, "Entrypoint", a.entrypoint(), b.entrypoint(), renames);
        field(out, "Cmd", a.cmd(), b.cmd(), renames);
        field(out, "Env", a.env(), b.env(), renames);
        field(out, "WorkingDir", a.workingDir(), b.workingDir(), renames);
        field(out, "ExposedPorts", a.exposedPorts(), b.exposedPorts(), renames);
        field(out, "Volumes", a.volumes(), b.volumes(), renames);
        field(out, "Labels", a.labels(), b.labels(), renames);
        field(out, "StopSignal", a.stopSignal(), b.stopSignal(), renames);
        return out;
    }

    /** Values that differ only by renamed store paths are not a config change: the store path diff says it. */
    private static void field(List<ConfigChange> out, String name, Object a, Object b, Map<String, String> renames) {
        String x = a == null ? "" : a.toString();
        String y = b == null ? "" : b.toString();
        if (!renamed(x, renames).equals(y)) {
            out.add(new ConfigChange(name, x, y));
        }
    }
}
