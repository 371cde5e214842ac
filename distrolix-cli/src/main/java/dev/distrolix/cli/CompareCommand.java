package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.inspect.Detectors;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.ImageReport;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare",
        description = {
            "Compares images side by side: sizes, files, shells, setuid, user.",
            "",
            "Like `docker images`, with what matters for a hardened image: size uncompressed and compressed, "
                    + "layers, files, Nix store paths, shells, package managers, setuid/setgid files and the user "
                    + "it runs as. Shells and package managers are found by name (sh, bash, busybox, ...; apt, "
                    + "dpkg, apk, rpm, nix, pip, ...) in any bin/ or sbin/ directory, /nix/store/*/bin included. "
                    + "Below the table: the paths behind each count.",
        },
        footer = {
            "",
            "Examples:",
            "  distrolix compare oci:out/nginx podman:docker.io/library/nginx:latest",
            "  distrolix compare oci:out/app:1.0 oci:out/app:1.1 --json",
            "  distrolix compare oci:out/app:1.1 docker://registry.example.com/app:1.0 --creds me:secret",
        },
        mixinStandardHelpOptions = true)
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images, in any form `inspect` accepts.")
    List<String> images;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Mixin
    PlatformOption platformOption = new PlatformOption();

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    public Integer call() throws IOException {
        List<ImageReport> reports = new ArrayList<>();
        RegistrySettings settings = registry.settings();
        ImageReport.FilesystemReader reader = SbomCommand.layerRecords();
        for (String ref : images) {
            // all read before anything is printed
            reports.add(ImageReport.read(ref, settings, platformOption.platform(), reader));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            reports.forEach(r -> rows.add(toJson(r)));
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            out.print(table(reports));
        }
        out.flush();
        return 0;
    }

    /** Name and tag for the table: from the image's own name if it has one, else the reference. */
    static String[] nameAndTag(ImageReport r) {
        String n = r.names().isEmpty() ? null : r.names().get(0);
        if (n == null) {
            return new String[] {r.reference(), "-"};
        }
        int colon = n.lastIndexOf(':');
        if (colon > n.lastIndexOf('/')) {
            return new String[] {n.substring(0, colon), n.substring(colon + 1)};
        }
        return n.contains("/") ? new String[] {n, "-"} : new String[] {r.reference(), n};
    }

    static String table(List<ImageReport> reports) {
        Table t = new Table("IMAGE", "TAG", ">SIZE", ">COMPRESSED", ">LAYERS", ">FILES", ">STORE PATHS", "SHELLS",
                "PACKAGE MANAGERS", ">SETUID", "RUNS AS");
        for (ImageReport r : reports) {
            String[] nt = nameAndTag(r);
            Detectors.Findings f = r.findings();
            t.row(nt[0], shortTag(nt[1]), Sizes.human(r.uncompressedSize()), Sizes.human(r.compressedSize()),
                    r.image().layers().size(), r.fileCount(), r.storePaths().size(), names(f.shells()),
                    names(f.packageManagers()), f.setuid().size(), r.runsAs());
        }
        StringBuilder sb = new StringBuilder(t.toString());
        for (ImageReport r : reports) {
            Detectors.Findings f = r.findings();
            if (f.shells().isEmpty() && f.packageManagers().isEmpty() && f.setuid().isEmpty()) {
                continue;
            }
            sb.append('\n').append(r.reference()).append('\n');
            paths(sb, "shells", f.shells());
            paths(sb, "package managers", f.packageManagers());
            paths(sb, "setuid/setgid", f.setuid());
        }
        return sb.toString();
    }

    private static String shortTag(String tag) {
        return tag.length() > 20 ? tag.substring(0, 12) + "…" : tag;
    }

    /** "3 (bash dash sh)" or "0". */
    static String names(List<FsEntry> entries) {
        if (entries.isEmpty()) {
            return "0";
        }
        return entries.size() + " (" + String.join(" ", Detectors.Findings.names(entries)) + ")";
    }

    private static void paths(StringBuilder sb, String what, List<FsEntry> entries) {
        if (!entries.isEmpty()) {
            sb.append(String.format("  %-18s", what + ":"));
            List<String> ps = entries.stream().map(e -> e.path() + (e.type() == FsEntry.Type.SYMLINK ? "@" : "")).toList();
            sb.append(String.join(" ", ps)).append('\n');
        }
    }

    static Map<String, Object> toJson(ImageReport r) {
        String[] nt = nameAndTag(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", r.reference());
        m.put("name", nt[0]);
        m.put("tag", nt[1]);
        m.put("manifestDigest", r.image().sourceDigest() == null ? null : r.image().sourceDigest().toString());
        m.put("uncompressedSize", r.uncompressedSize());
        m.put("compressedSize", r.compressedSize());
        m.put("layers", r.image().layers().size());
        m.put("files", r.fileCount());
        m.put("storePaths", r.storePaths().size());
        m.put("shells", r.findings().shells().stream().map(FsEntry::path).toList());
        m.put("packageManagers", r.findings().packageManagers().stream().map(FsEntry::path).toList());
        m.put("setuid", r.findings().setuid().stream().map(FsEntry::path).toList());
        m.put("runsAs", r.runsAs());
        return m;
    }
}
