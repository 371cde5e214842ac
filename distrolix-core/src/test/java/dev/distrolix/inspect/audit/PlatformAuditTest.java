package dev.distrolix.inspect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Digest;
import dev.distrolix.image.Descriptor;
import dev.distrolix.image.MediaTypes;
import dev.distrolix.image.Platform;
import dev.distrolix.image.PlatformChoice;
import dev.distrolix.inspect.PlatformImage;
import dev.distrolix.inspect.elf.ElfInfo;
import dev.distrolix.inspect.elf.ElfMachine;
import dev.distrolix.inspect.elf.TestElf;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ELF machines against the config's architecture, and an index's labels against the configs. */
class PlatformAuditTest {
    static final String GLIBC = FakeNginx.GLIBC;
    static final String NGINX = FakeNginx.NGINX;
    static final String LD_ARM = FakeNginx.LD_AARCH64;

    @TempDir
    Path tmp;

    static HandMadeImages arm64Nginx() {
        return FakeNginx.aarch64();
    }

    static HandMadeImages amd64Nginx() {
        return FakeNginx.x86_64();
    }

    static AuditReport audit(String ref) throws Exception {
        return HandMadeImageAuditTest.audit(ref);
    }

    @Test
    void aarch64FilesInAnAmd64ImageAreOneHighFindingThatNamesThem() throws Exception {
        String ref = arm64Nginx().layer(l -> l.dir("bin", 0755).file("bin/true", 0755, TestElf.x86_64(null)))
                .write(tmp.resolve("img"));
        AuditReport r = audit(ref);
        Finding f = HandMadeImageAuditTest.only(r, "elf-wrong-machine");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.message()).isEqualTo("3 ELF files (1 program, 2 libraries) are aarch64, but the image is "
                + "linux/amd64 (x86-64): its hosts cannot run them (/" + NGINX + "/bin/nginx, …)");
        // the program first; the object file and the program without an execute bit are not run, so not counted
        assertThat(f.paths()).containsExactly("/" + NGINX + "/bin/nginx", LD_ARM, "/" + GLIBC + "/lib/libc.so.6");
        Finding entry = HandMadeImageAuditTest.only(r, "entrypoint-cannot-start");
        assertThat(entry.message()).isEqualTo("Entrypoint program /" + NGINX + "/bin/nginx cannot start: it is built "
                + "for aarch64 and the image is linux/amd64 (x86-64)");
        assertThat(r.withId("elf-interpreter-missing")).as("the aarch64 loader is there for the aarch64 program").isEmpty();
        assertThat(r.platform()).isEqualTo(Platform.linuxAmd64());
        assertThat(r.indexPlatform()).isNull();
        assertThat(r.withId("index-platform-mismatch")).isEmpty();
    }

    @Test
    void labelledArm64TheSameFilesPassAndTheOneX86ProgramIsNamed() throws Exception {
        String ref = arm64Nginx().platform("arm64", "linux", "v8")
                .layer(l -> l.dir("bin", 0755).file("bin/true", 0755, TestElf.x86_64(null)))
                .write(tmp.resolve("img"));
        AuditReport r = audit(ref);
        Finding f = HandMadeImageAuditTest.only(r, "elf-wrong-machine");
        assertThat(f.message()).isEqualTo("1 ELF file (1 program) is x86-64, but the image is linux/arm64/v8 "
                + "(aarch64): its hosts cannot run them (/bin/true)");
        assertThat(f.paths()).containsExactly("/bin/true");
        assertThat(r.withId("entrypoint-cannot-start")).isEmpty();
    }

    @Test
    void i386OnAmd64IsLowAndAnArchitectureWithoutAKnownMachineIsNotChecked() throws Exception {
        String ref = amd64Nginx().layer(l -> l.dir("usr/lib32", 0755)
                        .file("usr/lib32/libc.so.6", 0644, TestElf.library(ElfInfo.EM_386, 32, false))
                        .file("usr/lib32/libm.so.6", 0644, TestElf.library(ElfInfo.EM_386, 32, false)))
                .write(tmp.resolve("amd64"));
        Finding f = HandMadeImageAuditTest.only(audit(ref), "elf-wrong-machine");
        assertThat(f.severity()).isEqualTo(Severity.LOW);
        assertThat(f.message()).isEqualTo("2 ELF files (2 libraries) are i386 in a linux/amd64 (x86-64) image: they run "
                + "only where the kernel also runs i386 programs (/usr/lib32/libc.so.6, …)");

        String mips = arm64Nginx().platform("mips64le", "linux", null).write(tmp.resolve("mips"));
        AuditReport r = audit(mips);
        assertThat(r.withId("elf-wrong-machine")).isEmpty();
        assertThat(r.withId("entrypoint-cannot-start")).isEmpty();
    }

    @Test
    void byteOrderTellsPpc64FromPpc64le() throws Exception {
        String ref = new HandMadeImages().platform("ppc64le", "linux", null)
                .layer(l -> l.file("le", 0755, TestElf.program(ElfMachine.EM_PPC64, 64, false, null))
                        .file("be", 0755, TestElf.program(ElfMachine.EM_PPC64, 64, true, null)))
                .write(tmp.resolve("ppc"));
        assertThat(HandMadeImageAuditTest.only(audit(ref), "elf-wrong-machine").paths()).containsExactly("/be");
        String s390x = new HandMadeImages().platform("s390x", "linux", null)
                .layer(l -> l.file("app", 0755, TestElf.program(ElfMachine.EM_S390, 64, true, null)))
                .write(tmp.resolve("s390x"));
        assertThat(audit(s390x).withId("elf-wrong-machine")).isEmpty();
    }

    @Test
    void everyImageOfAnIndexIsAuditedAndAWrongLabelIsAFinding() throws Exception {
        String ref = new HandMadeIndex()
                .image(amd64Nginx(), "linux/amd64")
                .image(arm64Nginx(), "linux/arm64/v8") // config says amd64: built with the wrong platform
                .attestation()
                .write(tmp.resolve("index"), "1");
        List<AuditReport> reports = new ArrayList<>();
        String armDigest;
        try (OpenedImage o = Transports.open(ref, RegistrySettings.defaults())) {
            List<PlatformImage> images = PlatformImage.all(o.artifact());
            assertThat(images).extracting(p -> PlatformChoice.format(p.label()))
                    .containsExactly("linux/amd64", "linux/arm64/v8"); // the attestation is no platform's image
            for (PlatformImage p : images) {
                reports.add(Auditor.audit(ref, p));
            }
            armDigest = images.get(1).entry().digest().toString();
        }
        AuditReport amd64 = reports.get(0);
        AuditReport arm64 = reports.get(1);
        assertThat(amd64.findings()).extracting(Finding::id).doesNotContain("elf-wrong-machine", "index-platform-mismatch",
                "entrypoint-cannot-start");
        assertThat(amd64.indexPlatform()).isEqualTo(Platform.linuxAmd64());
        assertThat(arm64.indexPlatform()).isEqualTo(new Platform("arm64", "linux", "v8"));
        assertThat(arm64.platform()).isEqualTo(Platform.linuxAmd64());
        assertThat(arm64.digest()).isEqualTo(armDigest);
        Finding label = HandMadeImageAuditTest.only(arm64, "index-platform-mismatch");
        assertThat(label.severity()).isEqualTo(Severity.HIGH);
        assertThat(label.message()).isEqualTo("the index lists " + armDigest.substring(0, 19) + "… as linux/arm64/v8, "
                + "but its config says linux/amd64: linux/arm64/v8 hosts pull an image built for another platform");
        assertThat(HandMadeImageAuditTest.only(arm64, "elf-wrong-machine").message()).contains("are aarch64, but the image is linux/amd64");
    }

    @Test
    void anEntryRepeatedUnderTheSamePlatformIsReadOnceAndUnderAnotherIsKept() throws Exception {
        String ref = new HandMadeIndex()
                .image(amd64Nginx(), "linux/amd64")
                .image(amd64Nginx(), "linux/amd64")
                .image(amd64Nginx(), "linux/arm64/v8")
                .write(tmp.resolve("repeated"), "1");
        try (OpenedImage o = Transports.open(ref, RegistrySettings.defaults())) {
            assertThat(((dev.distrolix.image.ImageIndex) o.artifact()).manifests()).hasSize(3);
            assertThat(PlatformImage.all(o.artifact())).extracting(p -> PlatformChoice.format(p.label()))
                    .containsExactly("linux/amd64", "linux/arm64/v8");
        }
    }

    @Test
    void theImageChosenFromAnIndexIsCheckedAgainstItsLabelToo() throws Exception {
        // labelled amd64, but config and files are arm64: consistent inside, so only the label gives it away
        String ref = new HandMadeIndex()
                .image(arm64Nginx().platform("arm64", "linux", null), "linux/amd64")
                .image(arm64Nginx().platform("arm64", "linux", null).layer(l -> l.file("two", 0644, "2")), "linux/arm64")
                .write(tmp.resolve("index"), "1");
        try (OpenedImage o = Transports.open(ref, RegistrySettings.defaults())) {
            PlatformImage chosen = PlatformImage.chosen(o.artifact(), Platform.linuxAmd64(), ref);
            assertThat(chosen.label()).isEqualTo(Platform.linuxAmd64());
            AuditReport r = Auditor.audit(ref, chosen);
            assertThat(HandMadeImageAuditTest.only(r, "index-platform-mismatch").message())
                    .contains("as linux/amd64, but its config says linux/arm64");
            assertThat(r.withId("elf-wrong-machine")).isEmpty();

            PlatformImage arm = PlatformImage.chosen(o.artifact(), new Platform("arm64", "linux", "v8"), ref);
            assertThat(arm.entry().platform()).isEqualTo(Platform.of("arm64", "linux"));
            assertThat(Auditor.audit(ref, arm).withId("index-platform-mismatch")).isEmpty();
        }
    }

    @Test
    void variantsCompareAsContainerdNormalizesThem() {
        assertThat(label("linux/arm64/v8", "linux/arm64")).isEmpty();
        assertThat(label("linux/arm64", "linux/arm64/v8")).isEmpty();
        assertThat(label("linux/arm/v7", "linux/arm")).isEmpty();
        assertThat(label("linux/amd64/v1", "linux/amd64")).isEmpty();
        assertThat(label("linux/arm/v6", "linux/arm")).hasSize(1);
        assertThat(label("linux/arm64/v9", "linux/arm64")).hasSize(1);
        assertThat(label("windows/amd64", "linux/amd64")).hasSize(1);
        assertThat(label(null, "linux/amd64")).isEmpty();
    }

    private static List<Finding> label(String entry, String config) {
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[0]), 1);
        return PlatformChecks.label(entry == null ? d : d.withPlatform(PlatformChoice.parse(entry)),
                PlatformChoice.parse(config));
    }
}
