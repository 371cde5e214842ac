package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.InputException;
import dev.distrolix.image.ImageIndex;
import dev.distrolix.image.PlatformChoice;
import dev.distrolix.inspect.PlatformImage;
import dev.distrolix.inspect.audit.AuditPolicy;
import dev.distrolix.inspect.audit.AuditReport;
import dev.distrolix.inspect.audit.AuditVerdict;
import dev.distrolix.inspect.audit.Auditor;
import dev.distrolix.inspect.audit.Finding;
import dev.distrolix.inspect.audit.Rule;
import dev.distrolix.inspect.audit.Severity;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "audit",
        description = {
            "Audits any image for what a hardened image should not carry.",
            "",
            "Any image, not only ours: what a hardened image should not carry and what would keep it "
                    + "from starting, each finding with the paths that prove it: shells anywhere (also "
                    + "/nix/store/*/bin, busybox and its applets), package managers, download tools, interpreters "
                    + "(info), setuid/setgid and world-writable files, dangling symlinks and symlinks climbing above "
                    + "the root, running as root, every ELF program and library whose interpreter or DT_NEEDED "
                    + "libraries the loader would not find in the image (RPATH/RUNPATH with $ORIGIN, "
                    + "LD_LIBRARY_PATH, the default directories; ld.so.conf and ld.so.cache are not read), an "
                    + "Entrypoint/Cmd that is missing or cannot start (found through the config's PATH), TLS "
                    + "libraries without CA certificates, ELF files built for another processor than the "
                    + "image's platform, and dive's layer efficiency and wasted bytes.",
            "",
            "An index: the image --platform names (else the only one, else the host's), also checked "
                    + "against the platform the index lists it under; --all-platforms audits every image of it.",
            "",
            "The layers are streamed once; nothing is unpacked.",
        },
        footerHeading = "%nCI use:%n",
        footer = {
            "Exit codes: 0 no finding at or above the threshold (and efficiency/wasted within limits), "
                    + "4 findings at or above it (or a limit exceeded; with --all-platforms: in any image), 3 a bad "
                    + "image, option or config file, 1 a failure (a tool or I/O error).",
            "",
            "  The config file (--config, default ./" + AuditPolicy.DEFAULT_FILE + " when present):",
            "    fail-on: high                # info|low|medium|high|critical|none; default high",
            "    min-efficiency: 0.95         # dive's efficiency, 0..1",
            "    max-wasted-bytes: 20MB       # bytes of paths found in 2+ layers",
            "    ignore:",
            "      - id: runs-as-root         # a finding id, see --list-rules",
            "        reason: nginx's master binds port 80",
            "      - id: shell",
            "        path: /nix/store/*-busybox-*/bin/**   # glob on the proving paths",
            "",
            "Examples:",
            "  distrolix audit oci:out/nginx",
            "  distrolix audit podman:docker.io/library/debian:bookworm --fail-on critical",
            "  distrolix audit docker-archive:app.tar --config ci/audit.yaml --json > audit.json",
            "  distrolix audit oci:out/nginx-multi --all-platforms",
            "  distrolix audit --list-rules",
        },
        mixinStandardHelpOptions = true)
final class AuditCommand implements Callable<Integer> {
    static final int EXIT_FINDINGS = Distrolix.EXIT_FINDINGS;
    private static final int SHOWN_PATHS = 5;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    PlatformOption platformOption = new PlatformOption();

    @picocli.CommandLine.Mixin
    RegistryOptions registry = new RegistryOptions();

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE",
            description = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], podman:NAME[:TAG], docker:NAME[:TAG], docker://HOST[:PORT]/REPO[:TAG] or a path.")
    String image;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 4 when a finding is at least this severe: info, low, medium, high, critical, or none. Default: the config's, else high.")
    String failOn;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Policy file (YAML, see below). Default: ./" + AuditPolicy.DEFAULT_FILE + " if it exists.")
    Path config;

    @Option(names = "--min-efficiency", paramLabel = "RATIO", description = "Fail below this dive efficiency (0..1).")
    Double minEfficiency;

    @Option(names = "--max-wasted-bytes", paramLabel = "SIZE", description = "Fail above this many wasted bytes (e.g. 20MB).")
    String maxWasted;

    @Option(names = "--all-paths", description = "Show every proving path (default: the first " + SHOWN_PATHS + " per finding).")
    boolean allPaths;

    @Option(names = "--list-rules", description = "List the finding ids and their severities, then exit.")
    boolean listRules;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Option(names = "--all-platforms",
            description = "Audit every image of an index, each against the platform the index lists it under (one report per platform).")
    boolean allPlatforms;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (listRules) {
            Table t = new Table("ID", "SEVERITY", "WHAT");
            for (Rule r : Rule.values()) {
                t.row(r.id(), r.severity().label(), r.description());
            }
            out.print(t);
            out.flush();
            return 0;
        }
        if (image == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'IMAGE'");
        }
        if (allPlatforms && platformOption.platform != null) {
            throw new InputException("--all-platforms audits every platform: leave out --platform " + platformOption.platform);
        }
        AuditPolicy policy = policy();
        if (allPlatforms) {
            return allPlatforms(out, policy);
        }
        AuditReport report;
        String platformLine = null;
        try (OpenedImage o = Transports.open(image, registry.settings())) {
            PlatformImage chosen = PlatformImage.chosen(o.artifact(), platformOption.platform(), image);
            report = Auditor.audit(image, chosen);
            if (o.artifact() instanceof ImageIndex index) {
                long images = index.manifests().stream().filter(PlatformImage::isImage).count();
                platformLine = chosen.name() + " (" + images + (images == 1 ? " image" : " images")
                        + " in the index; --all-platforms audits each)";
            }
        }
        AuditVerdict verdict = policy.apply(report);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(verdict)));
        } else {
            print(out, verdict, platformLine);
        }
        out.flush();
        return verdict.failed() ? EXIT_FINDINGS : 0;
    }

    /** One report per image of the index, each judged by the policy; fails when any one does. */
    private int allPlatforms(PrintWriter out, AuditPolicy policy) throws IOException {
        List<AuditVerdict> verdicts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        String digest;
        boolean index;
        try (OpenedImage o = Transports.open(image, registry.settings())) {
            index = o.artifact() instanceof ImageIndex;
            digest = o.artifact().manifestDigest().toString();
            List<PlatformImage> images = PlatformImage.all(o.artifact());
            if (images.isEmpty()) {
                throw new InputException(image + ": the index lists no image");
            }
            for (PlatformImage p : images) {
                verdicts.add(policy.apply(Auditor.audit(image, p)));
                names.add(p.name());
                headers.add("== " + p.name() + (p.relabelled() ? " (its config says " + PlatformChoice.format(p.platform())
                        + ")" : "") + " ==");
            }
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            if (verdicts.get(i).failed()) {
                failed.add(names.get(i));
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", image);
            m.put("digest", digest);
            m.put("index", index);
            m.put("platforms", verdicts.stream().map(AuditCommand::toJson).toList());
            m.put("failed", failed);
            m.put("result", failed.isEmpty() ? "pass" : "fail");
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            if (index) {
                out.printf("Index       %s (%s): %d image%s%n%n", image, digest, verdicts.size(), verdicts.size() == 1 ? "" : "s");
            }
            for (int i = 0; i < verdicts.size(); i++) {
                out.println(headers.get(i));
                print(out, verdicts.get(i), null);
                out.println();
            }
            out.println("All platforms: " + (failed.isEmpty() ? "pass (" + verdicts.size() + " audited)"
                    : "FAIL (" + String.join(", ", failed) + " failed)"));
        }
        out.flush();
        return failed.isEmpty() ? 0 : EXIT_FINDINGS;
    }

    private AuditPolicy policy() throws IOException {
        AuditPolicy p;
        if (config != null) {
            p = AuditPolicy.load(config);
        } else if (Files.isRegularFile(Path.of(AuditPolicy.DEFAULT_FILE))) {
            p = AuditPolicy.load(Path.of(AuditPolicy.DEFAULT_FILE));
        } else {
            p = AuditPolicy.defaults();
        }
        if (failOn != null) {
            p = p.withFailOn(Severity.parseOrNone(failOn, "--fail-on"));
        }
        if (minEfficiency != null) {
            if (minEfficiency < 0 || minEfficiency > 1) {
                throw new dev.distrolix.InputException("--min-efficiency: expected a number from 0 to 1, got " + minEfficiency);
            }
            p = p.withMinEfficiency(minEfficiency);
        }
        if (maxWasted != null) {
            p = p.withMaxWastedBytes(AuditPolicy.parseSize(maxWasted, "--max-wasted-bytes"));
        }
        return p;
    }

    /** The report as today; {@code platformLine} (for an image chosen from an index) says which one. */
    private void print(PrintWriter out, AuditVerdict v, String platformLine) {
        AuditReport r = v.report();
        out.printf("Image       %s (%s)%n", r.image(), r.digest());
        if (platformLine != null) {
            out.printf("Platform    %s%n", platformLine);
        }
        out.printf("Contents    %d layers, %d files (%s), %d ELF files%n", r.layers(), r.files(), Sizes.human(r.bytes()),
                r.elfFiles());
        out.printf(Locale.ROOT, "Efficiency  %.1f %%, %s wasted (paths in 2+ layers)%n", r.efficiency().efficiency() * 100,
                Sizes.human(r.efficiency().wastedBytes()));
        out.println();
        if (r.findings().isEmpty()) {
            out.println("No findings.");
        } else {
            int idWidth = r.findings().stream().mapToInt(f -> f.id().length()).max().orElse(2);
            out.printf("%-9s %-" + idWidth + "s  %s%n", "SEVERITY", "ID", "FINDING");
            for (Finding f : r.findings()) {
                out.printf("%-9s %-" + idWidth + "s  %s%n", f.severity().label(), f.id(), f.message());
                List<String> paths = allPaths ? f.paths() : f.paths().subList(0, Math.min(SHOWN_PATHS, f.paths().size()));
                String indent = " ".repeat(9 + 1 + idWidth + 2);
                paths.forEach(p -> out.println(indent + p));
                if (paths.size() < f.paths().size()) {
                    out.println(indent + "… " + (f.paths().size() - paths.size()) + " more (--all-paths)");
                }
            }
        }
        out.println();
        List<String> counts = new ArrayList<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)) {
            counts.add(r.counts().get(s) + " " + s.label());
        }
        out.printf("%d finding%s: %s%s%n", r.findings().size(), r.findings().size() == 1 ? "" : "s",
                String.join(", ", counts), v.ignored().isEmpty() ? "" : "; " + v.ignored().size() + " ignored by the config");
        v.violations().forEach(s -> out.println("Limit: " + s));
        String threshold = v.policy().failOn() == null ? "fail-on none" : "fail-on " + v.policy().failOn().label();
        out.println("Result: " + (v.failed() ? "FAIL" : "pass") + " (" + threshold
                + (v.failing().isEmpty() ? "" : ": " + v.failing().size() + " at or above it") + ")");
    }

    private static Map<String, Object> toJson(AuditVerdict v) {
        AuditReport r = v.report();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", r.image());
        m.put("digest", r.digest());
        m.put("platform", PlatformChoice.format(r.platform()));
        m.put("indexPlatform", r.indexPlatform() == null ? null : PlatformChoice.format(r.indexPlatform()));
        m.put("layers", r.layers());
        m.put("files", r.files());
        m.put("bytes", r.bytes());
        m.put("elfFiles", r.elfFiles());
        Map<String, Object> eff = new LinkedHashMap<>();
        eff.put("efficiency", r.efficiency().efficiency());
        eff.put("wastedBytes", r.efficiency().wastedBytes());
        eff.put("userWastedShare", r.efficiency().userWastedShare());
        eff.put("topWasted", r.efficiency().topWasted());
        m.put("efficiency", eff);
        m.put("findings", r.findings().stream().map(AuditCommand::finding).toList());
        m.put("ignored", v.ignored().stream().map(AuditCommand::finding).toList());
        Map<String, Integer> counts = new LinkedHashMap<>();
        r.counts().forEach((s, n) -> counts.put(s.label(), n));
        m.put("counts", counts);
        m.put("failOn", v.policy().failOn() == null ? "none" : v.policy().failOn().label());
        m.put("violations", v.violations());
        m.put("result", v.failed() ? "fail" : "pass");
        return m;
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("severity", f.severity().label());
        m.put("message", f.message());
        m.put("paths", f.paths());
        return m;
    }
}
