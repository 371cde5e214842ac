package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.InputException;
import dev.distrolix.inspect.PlatformImage;
import dev.distrolix.inspect.sbom.CycloneDxWriter;
import dev.distrolix.inspect.sbom.GraphCheck;
import dev.distrolix.inspect.sbom.ImageSbom;
import dev.distrolix.inspect.sbom.SbomBuilder;
import dev.distrolix.inspect.sbom.SpdxWriter;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
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

@Command(name = "sbom",
        description = {
            "Writes a software bill of materials of an image's store paths.",
            "",
            "From the image alone: one component per /nix/store path (name, version, purl "
                    + "pkg:nix/NAME@VERSION, the NAR hash Nix records for it) and the dependency edges, rebuilt the "
                    + "way Nix finds references: by scanning every file and symlink target for the 32-character "
                    + "hashes of the other store paths present, in one pass over the layers. For images distrolix "
                    + "built, the graph Nix recorded at build time rides in the config label "
                    + "dev.distrolix.closure.references and the two are compared: \"graph: scanned, agrees with "
                    + "build-time graph\", or the differences.",
        },
        footerHeading = "%nFormats:%n",
        footer = {
            "  table       (default) one row per store path, then the graph check",
            "  cyclonedx   CycloneDX 1.6 JSON (official cyclonedx-core-java model and generator)",
            "  spdx        SPDX 2.3 JSON",
            "  The document goes to stdout, or to --output FILE (the table then goes to stdout).",
            "  --all-platforms: one table (or --json entry) per image of an index; a CycloneDX or SPDX",
            "  document describes one image, so run those once per --platform.",
            "  created/timestamp is SOURCE_DATE_EPOCH when set, else now.",
            "",
            "Examples:",
            "  distrolix sbom oci:out/nginx",
            "  distrolix sbom oci:out/nginx --format cyclonedx > nginx.cdx.json",
            "  distrolix sbom podman:localhost/app:1.0 --format spdx -o app.spdx.json",
            "  distrolix sbom oci:out/nginx --check     # exit 4 if the graphs differ",
        },
        mixinStandardHelpOptions = true)
final class SbomCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    PlatformOption platformOption = new PlatformOption();

    @picocli.CommandLine.Mixin
    RegistryOptions registry = new RegistryOptions();

    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], podman:NAME[:TAG], docker:NAME[:TAG], docker://HOST[:PORT]/REPO[:TAG] or a path.")
    String image;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "table, cyclonedx or spdx. Default: table, or cyclonedx with --output.")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the document to FILE.")
    Path output;

    @Option(names = "--require-store-paths",
            description = "Fail (exit 3) when the image has no /nix/store paths. Default: a warning on stderr.")
    boolean requireStorePaths;

    @Option(names = "--check", description = "Exit 4 if the scanned graph differs from the build-time graph.")
    boolean check;

    @Option(names = "--json", description = "Print distrolix's own JSON (components, edges, graph check) on stdout.")
    boolean json;

    @Option(names = "--all-platforms",
            description = "Every image of an index, one section per platform (table or --json only).")
    boolean allPlatforms;

    @Override
    public Integer call() throws IOException {
        String fmt = format == null ? (output != null ? "cyclonedx" : "table") : format.toLowerCase(Locale.ROOT);
        if (!List.of("table", "cyclonedx", "spdx").contains(fmt)) {
            throw new InputException("--format: '" + format + "' is not a format (expected table, cyclonedx or spdx)");
        }
        if (output != null && fmt.equals("table")) {
            throw new InputException("--output writes a document: use --format cyclonedx or spdx");
        }
        if (output != null && (output.getParent() != null && !Files.isDirectory(output.getParent()))) {
            throw new InputException(output + ": no such directory " + output.getParent());
        }
        if (allPlatforms) {
            if (!fmt.equals("table")) {
                throw new InputException("--all-platforms prints a table or --json: a " + (fmt.equals("spdx") ? "SPDX"
                        : "CycloneDX") + " document describes one image (write one per --platform)");
            }
            if (platformOption.platform != null) {
                throw new InputException("--all-platforms reads every platform: leave out --platform " + platformOption.platform);
            }
            return allPlatforms();
        }
        ImageSbom sbom;
        try (OpenedImage o = Transports.open(image, registry.settings())) {
            sbom = SbomBuilder.build(image, o.displayName(), o.image(platformOption.platform()), scans());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (sbom.components().isEmpty()) {
            String none = image + " has no /nix/store paths: the SBOM lists no components";
            if (requireStorePaths) {
                throw new InputException(none + " (--require-store-paths)");
            }
            spec.commandLine().getErr().println("distrolix: warning: " + none);
            spec.commandLine().getErr().flush();
        }
        String doc = null;
        if (!fmt.equals("table")) {
            Instant now = created();
            doc = fmt.equals("spdx") ? SpdxWriter.write(sbom, now, toolVersion()) : CycloneDxWriter.write(sbom, now, toolVersion());
        }
        if (output != null) {
            dev.distrolix.transport.OutputTarget target = dev.distrolix.transport.OutputTarget.of(output, "--output");
            if (target.stream()) { // a device or a pipe (/dev/stdout): written into, never replaced
                try (java.io.OutputStream o = target.openStream()) {
                    o.write((doc + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } else {
                // not createTempFile (0600): a new file gets the mode `touch` gives it, 0666 less the umask
                Path tmp = target.path().getParent().resolve(".distrolix-sbom-"
                        + java.util.HexFormat.of().formatHex(randomBytes()) + ".tmp");
                try {
                    Files.writeString(tmp, doc + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    Files.move(tmp, target.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(sbom)));
        } else if (doc != null && output == null) {
            out.println(doc);
            spec.commandLine().getErr().println(sbom.check().summary());
        } else {
            printTable(out, sbom);
            if (output != null) {
                out.println("wrote " + output + " (" + fmt + ")");
            }
        }
        out.flush();
        return check && sbom.check().status() == GraphCheck.Status.DIFFERS ? AuditCommand.EXIT_FINDINGS : 0;
    }

    /**
     * The layer scans kept beside the default layer cache: a layer scanned once (by an SBOM, or a signing
     * build) is replayed, not read again.
     */
    static dev.distrolix.inspect.scan.ScanCache scans() {
        return dev.distrolix.inspect.scan.ScanCache.in(
                dev.distrolix.inspect.scan.ScanCache.beside(dev.distrolix.cache.LayerCache.defaultDir()));
    }

    /**
     * How inspect, diff and compare read an image's filesystem: replaying the layers {@link #scans()} has records of
     * (of any kind), recording the others.
     */
    static dev.distrolix.inspect.ImageReport.FilesystemReader layerRecords() {
        dev.distrolix.inspect.scan.ScanCache scans = scans();
        return image -> dev.distrolix.inspect.scan.ImageScan.filesystem(image, scans);
    }

    /** One SBOM per image of the index, printed one after the other; --check fails if any graph differs. */
    private int allPlatforms() throws IOException {
        List<String> names = new ArrayList<>();
        List<ImageSbom> sboms = new ArrayList<>();
        String digest;
        try (OpenedImage o = Transports.open(image, registry.settings())) {
            digest = o.artifact().manifestDigest().toString();
            dev.distrolix.inspect.scan.ScanCache scans = scans();
            for (PlatformImage p : PlatformImage.all(o.artifact())) {
                names.add(p.name());
                sboms.add(SbomBuilder.build(image, o.displayName(), p.image(), scans));
            }
        }
        if (sboms.isEmpty()) {
            throw new InputException(image + ": the index lists no image");
        }
        for (int i = 0; i < sboms.size(); i++) {
            if (sboms.get(i).components().isEmpty()) {
                String none = image + " (" + names.get(i) + ") has no /nix/store paths: its SBOM lists no components";
                if (requireStorePaths) {
                    throw new InputException(none + " (--require-store-paths)");
                }
                spec.commandLine().getErr().println("distrolix: warning: " + none);
            }
        }
        spec.commandLine().getErr().flush();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", image);
            m.put("digest", digest);
            List<Map<String, Object>> platforms = new ArrayList<>();
            for (int i = 0; i < sboms.size(); i++) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("platform", names.get(i));
                p.putAll(toJson(sboms.get(i)));
                platforms.add(p);
            }
            m.put("platforms", platforms);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            for (int i = 0; i < sboms.size(); i++) {
                out.println((i == 0 ? "" : "\n") + "== " + names.get(i) + " ==");
                printTable(out, sboms.get(i));
            }
        }
        out.flush();
        boolean differs = sboms.stream().anyMatch(s -> s.check().status() == GraphCheck.Status.DIFFERS);
        return check && differs ? AuditCommand.EXIT_FINDINGS : 0;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static void printTable(PrintWriter out, ImageSbom sbom) {
        out.printf("Image  %s (%s)%n", sbom.reference(), sbom.digest());
        if (sbom.components().isEmpty()) {
            out.println("No /nix/store paths in this image.");
            return;
        }
        Table t = new Table("NAME", "VERSION", ">SIZE", "NAR HASH", "REFERENCES");
        List<ImageSbom.Component> rows = sbom.components().stream()
                // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (5-8 ms at first use)
                .sorted((a, b) -> a.name().equals(b.name()) ? a.version().compareTo(b.version()) : a.name().compareTo(b.name()))
                .toList();
        for (ImageSbom.Component c : rows) {
            List<String> refs = sbom.dependencies().get(c.baseName()).stream()
                    .map(r -> sbom.component(r).name()).sorted().toList();
            t.row(c.name() + (sbom.roots().contains(c.baseName()) ? " *" : ""), c.version(), Sizes.human(c.size()),
                    c.narHashSri() == null ? "(" + c.narProblem() + ")" : c.narHashSri().substring(0, 19) + "…",
                    String.join(" ", refs));
        }
        out.print(t);
        int edges = sbom.dependencies().values().stream().mapToInt(java.util.Set::size).sum();
        out.printf("%d store paths, %d references; * = root (named from outside the store or by no store path)%n",
                sbom.components().size(), edges);
        out.println(sbom.check().summary().replace("; ", ";\n  "));
    }

    private static Map<String, Object> toJson(ImageSbom sbom) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", sbom.reference());
        m.put("digest", sbom.digest());
        m.put("components", sbom.components().stream().map(c -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("storePath", c.storePath());
            x.put("name", c.name());
            x.put("version", c.version());
            x.put("purl", c.purl());
            x.put("narHash", c.narHashSri());
            x.put("size", c.size());
            x.put("references", sbom.dependencies().get(c.baseName()));
            x.put("root", sbom.roots().contains(c.baseName()));
            return x;
        }).toList());
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("status", sbom.check().status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        g.put("summary", sbom.check().summary());
        g.put("onlyInBuild", sbom.check().onlyInBuild());
        g.put("onlyScanned", sbom.check().onlyScanned());
        g.put("pathsOnlyInBuild", sbom.check().pathsOnlyInBuild());
        g.put("pathsOnlyInImage", sbom.check().pathsOnlyInImage());
        m.put("graph", g);
        return m;
    }

    static Instant created() {
        String sde = System.getenv("SOURCE_DATE_EPOCH");
        if (sde != null && !sde.isBlank()) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(sde.strip()));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new InputException("SOURCE_DATE_EPOCH must be a whole number of seconds, got '" + sde + "'");
            }
        }
        return Instant.now();
    }

    static String toolVersion() {
        String v = Distrolix.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
