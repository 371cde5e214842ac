package dev.distrolix.inspect.audit;

import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.image.Image;
import dev.distrolix.image.Platform;
import dev.distrolix.inspect.PlatformImage;
import dev.distrolix.inspect.elf.ElfCollector;
import dev.distrolix.inspect.scan.ImageScan;
import dev.distrolix.inspect.scan.ImageTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audits an image in one streaming pass over its layers: reads the ELF headers, script first
 * lines, account files and busybox applet tables it needs while the merged filesystem is built,
 * then runs every {@link Rule} on the result. Nothing is unpacked; memory grows with the number
 * of files, not their size. An image read from an index is also checked against the platform the
 * index lists it under; each image of an index is audited on its own (one report per platform).
 */
public final class Auditor {
    private Auditor() {}

    public static AuditReport audit(String reference, Image image) throws IOException {
        return audit(reference, new PlatformImage(null, image));
    }

    /** The audit of one image of an index: also whether the index lists it under the platform its config names. */
    public static AuditReport audit(String reference, PlatformImage entry) throws IOException {
        Image image = entry.image();
        Platform platform = image.platform();
        ElfCollector elf = new ElfCollector();
        FileHeads heads = new FileHeads(FileChecks.APPLETS);
        LayerEfficiency efficiency = new LayerEfficiency();
        FlatFilesystem fs = ImageScan.run(image, List.of(elf, heads, efficiency));
        ImageTree tree = new ImageTree(fs);
        Map<String, String> env = env(image.config().config().env());

        List<String> ldLibraryPath = env.containsKey("LD_LIBRARY_PATH")
                ? Arrays.stream(env.get("LD_LIBRARY_PATH").split(":")).filter(d -> d.startsWith("/")).toList()
                : List.of();
        ElfChecks elfChecks = new ElfChecks(tree, elf, ldLibraryPath);
        RuntimeChecks runtime = new RuntimeChecks(tree, image.config().config(), platform, heads, elf, elfChecks, env);

        List<Finding> findings = new ArrayList<>();
        findings.addAll(FileChecks.programs(tree, heads));
        findings.addAll(FileChecks.permissions(tree));
        findings.addAll(FileChecks.symlinks(tree));
        findings.addAll(elfChecks.check());
        findings.addAll(PlatformChecks.elfMachines(tree, elf, platform));
        findings.addAll(PlatformChecks.label(entry.entry(), platform));
        findings.addAll(runtime.user());
        findings.addAll(runtime.entrypoint());
        findings.addAll(runtime.caCertificates());

        LayerEfficiency.Result e = efficiency.result();
        AuditReport.Efficiency eff = new AuditReport.Efficiency(e.efficiency(), e.wastedBytes(), e.userWastedShare(),
                e.top().stream().map(w -> new AuditReport.WastedPath(w.path(), w.layers(), w.bytes())).toList());
        String digest = (image.sourceDigest() != null ? image.sourceDigest() : image.configDigest()).toString();
        return new AuditReport(reference, digest, platform, entry.label(), image.layers().size(), (int) fs.fileCount(),
                fs.totalFileBytes(), elf.size(), findings, eff);
    }

    /** KEY=VALUE entries; the last one of a key wins, as in a runtime. */
    static Map<String, String> env(List<String> entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                m.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        return m;
    }
}
