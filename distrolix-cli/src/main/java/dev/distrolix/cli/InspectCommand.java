package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.image.ImageIndex;
import dev.distrolix.image.Platform;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.ImageReport;
import dev.distrolix.inspect.IndexListing;
import dev.distrolix.inspect.LayerSummary;
import dev.distrolix.inspect.PlatformImage;
import dev.distrolix.image.Image;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect",
        description = {
            "Shows what is in an image: config, layers, files, store paths.",
            "",
            "Works on every image, not only ours (Debian, Alpine, dockerTools, ...): its digest, "
                    + "platform and config, and each layer with its compressed and uncompressed size, diff_id, "
                    + "media type and the Nix store paths it holds. Layers are streamed once and their digests "
                    + "and diff_ids verified.",
            "",
            "--tree      the filesystem a container starts with: all layers merged,",
            "            whiteouts applied (what `docker export | tar -tv` shows)",
            "--packages  one row per /nix/store path: name, version, size, share",
            "            of the image, layer",
            "",
            "An index (a multi-platform image): its platforms with their manifest digests and sizes, "
                    + "then the image --platform names (else the only one, else the host's) as above.",
        },
        footerHeading = "%nImages:%n",
        footer = {
            "  oci:DIR[:TAG]                   an OCI image layout",
            "  oci-archive:FILE[:TAG]          a tar of one",
            "  docker-archive:FILE[:NAME:TAG]  a `docker save` tar",
            "  podman:NAME[:TAG]               via `podman save` (also docker:NAME)",
            "  docker://HOST[:PORT]/REPO[:TAG|@DIGEST]",
            "                                  in a registry: layers streamed, nothing",
            "                                  stored (--creds, --insecure); an index",
            "                                  resolves to linux/amd64 or its only image",
            "  PATH                            a layout directory or an archive",
            "",
            "Examples:",
            "  distrolix inspect oci:out/nginx",
            "  distrolix inspect podman:debian:bookworm --tree | grep /usr/bin/",
            "  distrolix inspect docker-archive:app.tar --packages",
            "  distrolix inspect docker://127.0.0.1:5000/nginx:1 --tree",
            "  distrolix inspect oci:out/nginx --json | jq '.layers[].storePaths'",
        },
        mixinStandardHelpOptions = true)
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to inspect (see Images below).")
    String image;

    @Option(names = "--tree", description = "List the flattened filesystem: mode, owner, size, path, link target.")
    boolean tree;

    @Option(names = "--packages", description = "List the Nix store paths: name, version, size, share, layer.")
    boolean packages;

    @Option(names = "--json", description = "Print JSON on stdout (with --tree: also every file).")
    boolean json;

    @Mixin
    PlatformOption platformOption = new PlatformOption();

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    public Integer call() throws IOException {
        ImageReport r;
        IndexListing index = null;
        try (OpenedImage o = Transports.open(image, registry.settings())) {
            PlatformImage chosen = PlatformImage.chosen(o.artifact(), platformOption.platform(), image);
            r = ImageReport.of(image, o.names(), chosen.image(), SbomCommand.layerRecords());
            if (o.artifact() instanceof ImageIndex i) {
                index = IndexListing.of(i, chosen);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = toJson(r, tree);
            if (index != null) {
                m = withIndex(m, index);
            }
            // written as it goes: with --tree the file list is serialized entry by entry, never held as text
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .writeValue(out, m);
            out.println();
        } else {
            if (tree) {
                printTree(r, out);
            }
            if (packages) {
                out.print(packages(r));
            }
            if (!tree && !packages) {
                if (index != null) {
                    out.print(platforms(r, index, platformOption.platform != null));
                }
                out.print(summary(r));
            }
        }
        out.flush();
        return 0;
    }

    static String platform(Platform p) {
        return p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant());
    }

    /** An index's entries, the one shown below marked: what comes before an index's summary. */
    static String platforms(ImageReport r, IndexListing index, boolean asked) {
        StringBuilder sb = new StringBuilder();
        kv(sb, "Index", r.reference() + (r.names().isEmpty() ? "" : "  (" + String.join(", ", r.names()) + ")"));
        kv(sb, "Digest", index.digest().toString());
        kv(sb, "Media type", index.mediaType());
        sb.append("\nPlatforms\n");
        Table t = new Table("PLATFORM", "MANIFEST DIGEST", ">SIZE", "");
        for (IndexListing.Row row : index.rows()) {
            t.row(row.platform() == null ? "-" : row.platform(), row.digest(), Sizes.human(row.size()),
                    row.selected() ? "*" : row.image() ? "" : "(attestation, no image)");
        }
        sb.append(t);
        String why = asked ? "as --platform asks" : index.images() == 1 ? "the only image"
                : "the host's platform; --platform picks another";
        sb.append(String.format(Locale.ROOT, "%d image%s; * is shown below (%s)%n%n", index.images(),
                index.images() == 1 ? "" : "s", why));
        return sb.toString();
    }

    /** The JSON of an image read from an index: the same, with the index's entries after the names. */
    static Map<String, Object> withIndex(Map<String, Object> image, IndexListing index) {
        Map<String, Object> m = new LinkedHashMap<>();
        image.forEach((k, v) -> {
            m.put(k, v);
            if (k.equals("repoTags")) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("digest", index.digest().toString());
                x.put("mediaType", index.mediaType());
                x.put("manifests", index.rows().stream().map(row -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("platform", row.platform());
                    e.put("digest", row.digest().toString());
                    e.put("size", row.size());
                    e.put("mediaType", row.mediaType());
                    e.put("image", row.image());
                    e.put("selected", row.selected());
                    return e;
                }).toList());
                m.put("index", x);
            }
        });
        return m;
    }

    static String summary(ImageReport r) {
        Image img = r.image();
        StringBuilder sb = new StringBuilder();
        kv(sb, "Image", r.reference() + (r.names().isEmpty() ? "" : "  (" + String.join(", ", r.names()) + ")"));
        kv(sb, "Digest", img.sourceDigest() == null ? "(none: a docker-archive has no manifest)" : img.sourceDigest().toString());
        kv(sb, "Image ID", img.configDigest().toString());
        kv(sb, "Media type", img.mediaType());
        kv(sb, "Platform", platform(img.platform()));
        kv(sb, "Created", img.config().created() == null ? "-" : img.config().created().toString());
        kv(sb, "Size", Sizes.human(r.uncompressedSize()) + " uncompressed, " + Sizes.human(r.compressedSize())
                + " compressed; " + img.layers().size() + " layers, " + r.fileCount() + " files, "
                + r.storePaths().size() + " store paths");
        sb.append("\nConfig\n");
        ContainerConfig c = img.config().config();
        kv(sb, "  Entrypoint", list(c.entrypoint()));
        kv(sb, "  Cmd", list(c.cmd()));
        kv(sb, "  User", c.user() == null ? "(root)" : c.user());
        kv(sb, "  WorkingDir", c.workingDir() == null ? "-" : c.workingDir());
        kv(sb, "  Env", c.env().isEmpty() ? "-" : String.join("\n" + " ".repeat(14), c.env()));
        kv(sb, "  Ports", c.exposedPorts().isEmpty() ? "-" : String.join(" ", c.exposedPorts()));
        kv(sb, "  Volumes", c.volumes().isEmpty() ? "-" : String.join(" ", c.volumes()));
        kv(sb, "  StopSignal", c.stopSignal() == null ? "-" : c.stopSignal());
        List<String> labels = new ArrayList<>();
        // a table is for reading: long values (the build-time reference graph) are cut; --json has them whole
        c.labels().forEach((k, v) -> labels.add(k + "=" + (v.length() <= 100 ? v
                : v.substring(0, 60) + "… (" + v.length() + " characters; see --json)")));
        kv(sb, "  Labels", labels.isEmpty() ? "-" : String.join("\n" + " ".repeat(14), labels));
        sb.append("\nLayers\n");
        Table t = new Table(">#", "DIGEST", "MEDIA TYPE", ">COMPRESSED", ">UNCOMPRESSED", "DIFF_ID", ">ENTRIES", "CONTENT");
        for (LayerSummary l : r.fs().layers()) {
            t.row(l.info().index() + 1, shortDigest(l.info().digest().toString()), shortType(l.info().mediaType(), l),
                    Sizes.human(l.compressedSize()), Sizes.human(l.uncompressedSize()),
                    shortDigest(l.info().diffId().toString()), l.entries(), content(l));
        }
        sb.append(t);
        return sb.toString();
    }

    private static String content(LayerSummary l) {
        if (l.storePaths().isEmpty()) {
            return "(no store paths)";
        }
        return Sizes.shortNames(l.storePaths());
    }

    static String shortDigest(String d) {
        return d.substring(0, Math.min(d.length(), 19));
    }

    private static String shortType(String mediaType, LayerSummary l) {
        String t = mediaType.substring(mediaType.lastIndexOf('/') + 1);
        return t + (l.compression().name().equals("NONE") || mediaType.contains(l.compression().name().toLowerCase(Locale.ROOT))
                ? "" : " (" + l.compression().name().toLowerCase(Locale.ROOT) + ")");
    }

    private static String list(List<String> l) {
        return l.isEmpty() ? "-" : String.join(" ", l);
    }

    private static void kv(StringBuilder sb, String k, String v) {
        sb.append(String.format(Locale.ROOT, "%-13s %s%n", k, v));
    }

    static String tree(ImageReport r) {
        java.io.StringWriter sw = new java.io.StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        printTree(r, pw);
        pw.flush();
        return sw.toString();
    }

    /** One line per entry, printed as it goes: the listing is never held whole in memory. */
    static void printTree(ImageReport r, PrintWriter out) {
        for (FsEntry e : r.fs().entries()) {
            out.print(treeLine(e));
            out.print('\n');
        }
    }

    /** {@code tar -tv} without the date: mode, uid/gid, size, path, link. */
    static String treeLine(FsEntry e) {
        String line = String.format(Locale.ROOT, "%s %s %10d %s", e.modeString(), e.uid() + "/" + e.gid(), e.size(),
                e.path());
        if (e.type() == FsEntry.Type.SYMLINK) {
            line += " -> " + e.linkTarget();
        } else if (e.type() == FsEntry.Type.HARDLINK) {
            line += " link to " + e.linkTarget();
        }
        return line;
    }

    static String packages(ImageReport r) {
        if (r.storePaths().isEmpty()) {
            return "no /nix/store paths in this image\n";
        }
        Table t = new Table("NAME", "VERSION", ">SIZE", ">SHARE", ">LAYER", "STORE PATH");
        for (StorePathIndex.Entry e : byDescendingSize(r.storePaths())) {
            t.row(e.name(), e.version().isEmpty() ? "-" : e.version(), Sizes.human(e.size()), percent(e.share()),
                    e.layer() + 1, e.path());
        }
        return t + String.format(Locale.ROOT, "%d store paths, %s of %s%n", r.storePaths().size(),
                Sizes.human(r.storePaths().totalSize()), Sizes.human(r.fs().totalFileBytes()));
    }

    static List<StorePathIndex.Entry> byDescendingSize(StorePathIndex index) {
        List<StorePathIndex.Entry> l = new ArrayList<>(index.entries());
        // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (~5 ms)
        l.sort((a, b) -> a.size() != b.size() ? Long.compare(b.size(), a.size()) : a.baseName().compareTo(b.baseName()));
        return l;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static Map<String, Object> toJson(ImageReport r, boolean withFiles) {
        Image img = r.image();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", r.reference());
        m.put("repoTags", r.names());
        m.put("manifestDigest", img.sourceDigest() == null ? null : img.sourceDigest().toString());
        m.put("converted", img.converted());
        m.put("configDigest", img.configDigest().toString());
        m.put("mediaType", img.mediaType());
        m.put("platform", platform(img.platform()));
        m.put("created", img.config().created() == null ? null : img.config().created().toString());
        m.put("uncompressedSize", r.uncompressedSize());
        m.put("compressedSize", r.compressedSize());
        m.put("files", r.fileCount());
        m.put("config", config(img.config().config()));
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerSummary l : r.fs().layers()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("digest", l.info().digest().toString());
            lm.put("diffId", l.info().diffId().toString());
            lm.put("mediaType", l.info().mediaType());
            lm.put("compression", l.compression().name().toLowerCase(Locale.ROOT));
            lm.put("size", l.compressedSize());
            lm.put("uncompressedSize", l.uncompressedSize());
            lm.put("entries", l.entries());
            lm.put("storePaths", l.storePaths().stream().map(b -> "/nix/store/" + b).toList());
            layers.add(lm);
        }
        m.put("layers", layers);
        List<Map<String, Object>> pkgs = new ArrayList<>();
        for (StorePathIndex.Entry e : r.storePaths().entries()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("path", e.path());
            pm.put("name", e.name());
            pm.put("version", e.version());
            pm.put("size", e.size());
            pm.put("share", Math.round(e.share() * 10000) / 10000.0);
            pm.put("layer", e.layer() + 1);
            pkgs.add(pm);
        }
        m.put("packages", pkgs);
        if (withFiles) {
            // an Iterator is serialized lazily: one map per entry at a time
            m.put("tree", r.fs().entries().stream().map(InspectCommand::file).iterator());
        }
        return m;
    }

    static Map<String, Object> config(ContainerConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", c.user());
        m.put("entrypoint", c.entrypoint());
        m.put("cmd", c.cmd());
        m.put("env", c.env());
        m.put("workingDir", c.workingDir());
        m.put("exposedPorts", c.exposedPorts());
        m.put("volumes", c.volumes());
        m.put("labels", c.labels());
        m.put("stopSignal", c.stopSignal());
        return m;
    }

    static Map<String, Object> file(FsEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.path());
        m.put("type", e.type().name().toLowerCase(Locale.ROOT));
        m.put("mode", String.format(Locale.ROOT, "%04o", e.mode()));
        m.put("uid", e.uid());
        m.put("gid", e.gid());
        m.put("size", e.size());
        if (e.linkTarget() != null) {
            m.put("linkTarget", e.linkTarget());
        }
        if (e.sha256() != null) {
            m.put("sha256", e.sha256().toString());
        }
        m.put("layer", e.layer() + 1);
        return m;
    }
}
