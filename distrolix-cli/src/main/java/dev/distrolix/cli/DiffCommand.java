package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.ImageDiff;
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

@Command(name = "diff",
        description = {
            "Shows what changed between two images, and why.",
            "",
            "  store paths  added, removed, rebuilt, or a version change",
            "               (zlib 1.2.13 → 1.2.13.1)",
            "  files        outside /nix/store: added, removed, changed (size,",
            "               mode, owner, content, link target)",
            "  config       Entrypoint, Cmd, User, Env, ports, volumes, labels, ...",
            "",
            "Files that only name another build of a store path (a symlink into it, a config that includes "
                    + "it) are listed apart. The last line is the verdict: identical, or what makes the difference. "
                    + "Exit code 0 either way; use --json or the verdict to decide.",
        },
        footer = {
            "",
            "Examples:",
            "  distrolix diff oci:out/nginx:1 oci:out/nginx:2",
            "  distrolix diff oci:out/nginx:1 docker://registry.example.com/nginx:1   # pushed as built?",
            "  distrolix diff podman:myapp:old podman:myapp:new --json | jq .verdict",
        },
        mixinStandardHelpOptions = true)
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The old image.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The new image.")
    String b;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Mixin
    PlatformOption platformOption = new PlatformOption();

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    public Integer call() throws IOException {
        RegistrySettings settings = registry.settings();
        ImageReport.FilesystemReader reader = SbomCommand.layerRecords();
        ImageReport ra = ImageReport.read(a, settings, platformOption.platform(), reader);
        ImageReport rb = ImageReport.read(b, settings, platformOption.platform(), reader);
        ImageDiff d = ImageDiff.of(ra, rb);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(d, ra, rb)));
        } else {
            out.print(human(d));
            out.println(d.verdict(ra, rb));
        }
        out.flush();
        return 0;
    }

    static String human(ImageDiff d) {
        StringBuilder sb = new StringBuilder();
        if (!d.storePaths().isEmpty()) {
            sb.append("Store paths\n");
            for (ImageDiff.StorePathChange c : d.storePaths()) {
                sb.append("  ").append(c.describe()).append('\n');
            }
        }
        if (!d.files().isEmpty()) {
            sb.append("Files\n");
            d.files().forEach(f -> sb.append("  ").append(fileLine(f)).append('\n'));
        }
        if (!d.followStorePaths().isEmpty()) {
            sb.append("Files that follow the store path changes\n");
            d.followStorePaths().forEach(f -> sb.append("  ").append(fileLine(f)).append('\n'));
        }
        if (!d.config().isEmpty()) {
            sb.append("Config\n");
            d.config().forEach(c -> sb.append("  ").append(c.field()).append(": ").append(c.before().isEmpty() ? "-" : c.before())
                    .append(" → ").append(c.after().isEmpty() ? "-" : c.after()).append('\n'));
        }
        return sb.toString();
    }

    static String fileLine(ImageDiff.FileChange f) {
        if (f.kind() == ImageDiff.Kind.ADDED) {
            return "+ " + InspectCommand.treeLine(f.after());
        }
        if (f.kind() == ImageDiff.Kind.REMOVED) {
            return "- " + InspectCommand.treeLine(f.before());
        }
        List<String> parts = new ArrayList<>();
        FsEntry x = f.before();
        FsEntry y = f.after();
        for (String w : f.what()) {
            switch (w) {
                case "size" -> parts.add("size " + x.size() + " → " + y.size());
                case "mode" -> parts.add("mode " + x.modeString() + " → " + y.modeString());
                case "owner" -> parts.add("owner " + x.uid() + "/" + x.gid() + " → " + y.uid() + "/" + y.gid());
                case "type" -> parts.add("type " + x.type().name().toLowerCase() + " → " + y.type().name().toLowerCase());
                case "target" -> parts.add("target " + x.linkTarget() + " → " + y.linkTarget());
                default -> parts.add(w);
            }
        }
        return "~ " + f.path() + "  (" + String.join(", ", parts) + ")";
    }

    static Map<String, Object> toJson(ImageDiff d, ImageReport a, ImageReport b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", a.reference());
        m.put("b", b.reference());
        m.put("identical", d.identical());
        m.put("sameContent", d.sameContent());
        List<Map<String, Object>> sp = new ArrayList<>();
        for (ImageDiff.StorePathChange c : d.storePaths()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("change", c.kind().name().toLowerCase());
            cm.put("name", c.name());
            cm.put("before", c.before() == null ? null : c.before().path());
            cm.put("after", c.after() == null ? null : c.after().path());
            cm.put("versionBefore", c.before() == null ? null : c.before().version());
            cm.put("versionAfter", c.after() == null ? null : c.after().version());
            sp.add(cm);
        }
        m.put("storePaths", sp);
        m.put("files", files(d.files()));
        m.put("followStorePaths", files(d.followStorePaths()));
        List<Map<String, Object>> cfg = new ArrayList<>();
        d.config().forEach(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("field", c.field());
            cm.put("before", c.before());
            cm.put("after", c.after());
            cfg.add(cm);
        });
        m.put("config", cfg);
        m.put("verdict", d.verdict(a, b));
        return m;
    }

    private static List<Map<String, Object>> files(List<ImageDiff.FileChange> changes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImageDiff.FileChange f : changes) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("change", f.kind().name().toLowerCase());
            fm.put("path", f.path());
            fm.put("what", f.what());
            if (f.before() != null) {
                fm.put("before", InspectCommand.file(f.before()));
            }
            if (f.after() != null) {
                fm.put("after", InspectCommand.file(f.after()));
            }
            out.add(fm);
        }
        return out;
    }
}
