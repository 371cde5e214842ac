package dev.distrolix.inspect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.inspect.Detectors;
import dev.distrolix.inspect.FlatFilesystem;
import dev.distrolix.inspect.FsEntry;
import dev.distrolix.inspect.ImageReport;
import dev.distrolix.inspect.scan.ImageScan;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made layers, one per shape of path resolution a runtime makes when it unpacks layers in
 * order (symlinked parents, chains, relative and climbing targets, whiteouts and opaque
 * directories through links, hard links), and programs known by their content, not their name.
 */
class RuntimePathsTest {
    @TempDir
    Path tmp;

    /** An ELF header followed by a program's tell-tale string (what the scanner looks for). */
    static byte[] fakeElf(String banner) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.writeBytes(new byte[5000]);
        b.writeBytes(banner.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(new byte[70_000]); // the banner is not at a chunk border only by luck
        return b.toByteArray();
    }

    static final byte[] BASH = fakeElf("GNU bash, version %s (%s)");
    static final byte[] ZSH = fakeElf("ZSH_VERSION");
    static final byte[] DASH = fakeElf("Maximum function recursion depth (%d) reached");
    static final byte[] BUSYBOX = fakeElf("BusyBox v1.36.1 (2024-01-01) multi-call binary.");
    static final byte[] DPKG = fakeElf("Debian 'dpkg' package management program version %s (%s).");
    static final byte[] NOTHING = fakeElf("just a program");

    /** The merged tree as the audit reads it (symlinks climbing above the root kept, clamped). */
    private FlatFilesystem fs(String ref) throws Exception {
        try (OpenedImage h = Transports.open(ref, RegistrySettings.defaults())) {
            return ImageScan.run(h.image(), List.of());
        }
    }

    private static List<String> shells(AuditReport r) {
        List<Finding> f = r.withId("shell");
        return f.isEmpty() ? List.of() : f.get(0).paths();
    }

    @Test
    void aSymlinkedDirectoryInLayer1AndFilesUnderItInLayer3() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("usr/bin", 0755).symlink("x", "/usr/bin"))
                .layer(l -> l.dir("etc", 0755))
                .layer(l -> l.file("x/bash", 0755, BASH).file("x/tool", 0755, NOTHING))
                .write(tmp.resolve("img"));
        FlatFilesystem fs = fs(ref);
        assertThat(fs.get("/usr/bin/tool")).isNotNull();
        assertThat(fs.get("/usr/bin/bash").layer()).isEqualTo(2);
        assertThat(fs.get("/x/bash")).isNull();
        assertThat(fs.get("/x").type()).isEqualTo(FsEntry.Type.SYMLINK);
        assertThat(shells(HandMadeImageAuditTest.audit(ref))).containsExactly("/usr/bin/bash");
    }

    @Test
    void aChainOfLinksAndARenamedShell() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("usr/bin", 0755).symlink("a", "b").symlink("b", "/usr/bin"))
                .layer(l -> l.file("a/helper", 0755, ZSH))
                .write(tmp.resolve("img"));
        assertThat(fs(ref).get("/usr/bin/helper")).isNotNull();
        assertThat(shells(HandMadeImageAuditTest.audit(ref))).containsExactly("/usr/bin/helper (zsh)");
    }

    @Test
    void relativeTargetsAndDotDotClampedAtTheRoot() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("usr/bin", 0755).dir("opt", 0755).symlink("opt/tools", "../usr/bin")
                        .symlink("opt/up", "../../../../../usr/bin")) // climbs above /: clamped, as runc does
                .layer(l -> l.file("opt/tools/dash", 0755, DASH).file("opt/up/runner", 0755, BASH))
                .write(tmp.resolve("img"));
        FlatFilesystem fs = fs(ref);
        assertThat(fs.get("/usr/bin/dash")).isNotNull();
        assertThat(fs.get("/usr/bin/runner")).isNotNull();
        assertThat(fs.under("/opt")).extracting(FsEntry::path).containsExactly("/opt/tools", "/opt/up");
        assertThat(shells(HandMadeImageAuditTest.audit(ref)))
                .containsExactlyInAnyOrder("/usr/bin/dash", "/usr/bin/runner (bash)");
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesThroughSymlinks() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("usr/lib/real", 0755).file("usr/lib/real/bash", 0755, BASH)
                        .dir("usr/share/sh", 0755).file("usr/share/sh/zsh", 0755, ZSH)
                        .dir("srv", 0755).file("srv/dash", 0755, DASH)
                        .symlink("lnk", "/usr/lib/real").symlink("s", "usr/share/sh").symlink("gone", "/srv"))
                .layer(l -> l.whiteout("lnk/bash")          // deletes /usr/lib/real/bash
                        .opaque("s")                         // empties /usr/share/sh
                        .whiteout("gone"))                   // deletes the link, not /srv
                .write(tmp.resolve("img"));
        FlatFilesystem fs = fs(ref);
        assertThat(fs.get("/usr/lib/real/bash")).isNull();
        assertThat(fs.under("/usr/share/sh")).isEmpty();
        assertThat(fs.get("/gone")).isNull();
        assertThat(fs.get("/srv/dash")).isNotNull();
        assertThat(fs.get("/lnk")).isNotNull();
        assertThat(shells(HandMadeImageAuditTest.audit(ref))).containsExactly("/srv/dash");
    }

    @Test
    void aHardLinkToBashNamedLsOutlivesItsTarget() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("bin", 0755).file("bin/bash", 0755, BASH).hardlink("bin/ls", "bin/bash"))
                .layer(l -> l.whiteout("bin/bash"))
                .write(tmp.resolve("img"));
        assertThat(shells(HandMadeImageAuditTest.audit(ref))).containsExactly("/bin/ls (hard link to /bin/bash: bash)");
    }

    @Test
    void aHardLinkMadeThroughASymlinkedDirectory() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("usr/bin", 0755).file("usr/bin/bash", 0755, BASH).symlink("bin", "usr/bin"))
                .layer(l -> l.dir("opt", 0755).hardlink("opt/cat", "bin/bash"))
                .write(tmp.resolve("img"));
        FlatFilesystem fs = fs(ref);
        assertThat(fs.get("/opt/cat").linkTarget()).isEqualTo("/usr/bin/bash");
        assertThat(shells(HandMadeImageAuditTest.audit(ref)))
                .containsExactlyInAnyOrder("/usr/bin/bash", "/opt/cat (hard link to /usr/bin/bash: bash)");
    }

    @Test
    void programsByWhatTheyAre() throws Exception {
        String store = "nix/store/0123456789abcdfghijklmnpqrsvwxyz-tool-1.0";
        String ref = new HandMadeImages()
                .layer(l -> l.dir("usr/bin", 0755).dir("usr/lib/x", 0755).dir("opt", 0755)
                        .file("usr/bin/python", 0755, BASH)                 // a copy of bash named python
                        .file("usr/lib/x/helper", 0755, BUSYBOX)            // a renamed busybox
                        .symlink("usr/bin/ls", "../lib/x/helper")           // an applet: runs ls
                        .symlink("usr/bin/sh", "../lib/x/helper")           // runs the shell
                        .symlink("opt/run", "/usr/bin/python")              // a link anywhere to bash
                        .file("usr/lib/x/unpack", 0755, DPKG)
                        .file("usr/lib/x/data", 0644, BASH)                 // not executable: not run
                        .dir(store + "/libexec", 0555).file(store + "/libexec/runner", 0555, DASH))
                .write(tmp.resolve("img"));
        AuditReport r = HandMadeImageAuditTest.audit(ref);
        assertThat(shells(r)).containsExactlyInAnyOrder("/usr/bin/python (bash)", "/usr/lib/x/helper (busybox)",
                "/usr/bin/sh -> ../lib/x/helper (busybox at /usr/lib/x/helper)",
                "/opt/run -> /usr/bin/python (bash at /usr/bin/python)", "/" + store + "/libexec/runner (dash)");
        assertThat(r.withId("shell").get(0).message()).contains("bash", "busybox", "dash", "sh");
        assertThat(r.withId("package-manager").get(0).paths()).containsExactly("/usr/lib/x/unpack (dpkg)");
        try (OpenedImage h = Transports.open(ref, RegistrySettings.defaults())) {
            Detectors.Findings f = ImageReport.of(ref, List.of(), h.image()).findings();
            assertThat(f.shells()).extracting(FsEntry::path).containsExactlyInAnyOrder("/usr/bin/python",
                    "/usr/lib/x/helper", "/usr/bin/sh", "/opt/run", "/" + store + "/libexec/runner");
            assertThat(f.packageManagers()).extracting(FsEntry::path).containsExactly("/usr/lib/x/unpack");
        }
    }

    @Test
    void inspectCompareAndAuditCountTheSameFiles() throws Exception {
        String ref = new HandMadeImages()
                .layer(l -> l.dir("usr/bin", 0755).dir("etc", 0755).file("etc/a", 0644, "a").symlink("bin", "usr/bin")
                        .file("usr/bin/tool", 0755, NOTHING))
                .layer(l -> l.file("bin/more", 0755, "#!/bin/sh\n").whiteout("etc/a").file("etc/b", 0644, "b"))
                .write(tmp.resolve("img"));
        try (OpenedImage h = Transports.open(ref, RegistrySettings.defaults())) {
            ImageReport report = ImageReport.of(ref, List.of(), h.image());
            AuditReport audit = Auditor.audit(ref, h.image());
            // /bin, /usr/bin/tool, /usr/bin/more, /etc/b
            assertThat(report.fileCount()).isEqualTo(4);
            assertThat(audit.files()).isEqualTo(4);
            assertThat(report.fs().get("/usr/bin/more")).isNotNull();
        }
    }
}
