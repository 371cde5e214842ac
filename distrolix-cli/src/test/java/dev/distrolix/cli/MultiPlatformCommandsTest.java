package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.inspect.audit.FakeNginx;
import dev.distrolix.inspect.audit.HandMadeImages;
import dev.distrolix.inspect.audit.HandMadeIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inspect, audit and sbom on an OCI index written by hand (no Nix, no engine): the platform list,
 * one audit or SBOM per platform, and an image labelled or built for the wrong platform.
 */
class MultiPlatformCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** linux/amd64 and linux/arm64/v8, each built for its platform, and buildkit's attestation entry. */
    private String goodIndex() throws Exception {
        return new HandMadeIndex()
                .image(FakeNginx.x86_64(), "linux/amd64")
                .image(FakeNginx.aarch64().platform("arm64", "linux", "v8"), "linux/arm64/v8")
                .attestation()
                .write(tmp.resolve("good"), "1");
    }

    /** The arm64 entry holds x86-64 files (its config says arm64): the build used the wrong closure. */
    private String badIndex() throws Exception {
        return new HandMadeIndex()
                .image(FakeNginx.x86_64(), "linux/amd64")
                .image(FakeNginx.x86_64().platform("arm64", "linux", "v8").layer(l -> l.file("arm", 0644, "x")),
                        "linux/arm64/v8")
                .write(tmp.resolve("bad"), "1");
    }

    private static List<String> manifestDigests(Path layout) throws Exception {
        JsonNode top = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode index = OciLayouts.blob(layout, top.get("manifests").get(0).get("digest").asText());
        List<String> out = new ArrayList<>();
        index.get("manifests").forEach(m -> out.add(m.get("digest").asText()));
        return out;
    }

    @Test
    void inspectOfAnIndexListsItsPlatformsThenShowsTheChosenImageAsForALoneImage() throws Exception {
        String ref = goodIndex();
        Path layout = tmp.resolve("good");
        List<String> digests = manifestDigests(layout);
        Cli index = Cli.run("inspect", ref, "--platform", "linux/arm64");
        assertThat(index.exitCode()).as(index.err()).isZero();
        String out = index.out();
        assertThat(out).startsWith("Index         " + ref + "  (1)\n");
        assertThat(out).containsPattern("(?m)^PLATFORM +MANIFEST DIGEST +SIZE$");
        assertThat(out).containsPattern("(?m)^linux/amd64 +" + digests.get(0) + " +[0-9.]+ k?B$");
        assertThat(out).containsPattern("(?m)^linux/arm64/v8 +" + digests.get(1) + " +[0-9.]+ k?B +\\*$");
        assertThat(out).containsPattern("(?m)^unknown/unknown +" + digests.get(2) + " +[0-9.]+ k?B +\\(attestation, no image\\)$");
        assertThat(out).contains("2 images; * is shown below (as --platform asks)\n\nImage ");
        assertThat(out).contains("Digest        " + digests.get(1) + "\n").contains("Platform      linux/arm64/v8\n");

        // the same image as the only entry of index.json: the lone image's output is the tail of the index's
        ObjectNode top = JSON.createObjectNode().put("schemaVersion", 2);
        ObjectNode entry = top.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", digests.get(1)).put("size", Files.size(OciLayouts.blobPath(layout, digests.get(1))));
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", "1");
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(top));
        Cli lone = Cli.run("inspect", ref);
        assertThat(lone.exitCode()).as(lone.err()).isZero();
        assertThat(lone.out()).startsWith("Image ").doesNotContain("Index", "PLATFORM", "attestation");
        assertThat(out).endsWith(lone.out());
        assertThat(JSON.readTree(Cli.run("inspect", ref, "--json").out()).has("index")).isFalse();
    }

    @Test
    void inspectJsonOfAnIndexAddsItsEntries() throws Exception {
        String ref = goodIndex();
        Cli r = Cli.run("inspect", ref, "--platform", "linux/amd64", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("platform").asText()).isEqualTo("linux/amd64");
        JsonNode entries = j.get("index").get("manifests");
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).get("platform").asText()).isEqualTo("linux/amd64");
        assertThat(entries.get(0).get("selected").asBoolean()).isTrue();
        assertThat(entries.get(0).get("digest").asText()).isEqualTo(j.get("manifestDigest").asText());
        assertThat(entries.get(1).get("platform").asText()).isEqualTo("linux/arm64/v8");
        assertThat(entries.get(1).get("selected").asBoolean()).isFalse();
        assertThat(entries.get(2).get("image").asBoolean()).isFalse();
        assertThat(entries.get(1).get("size").asLong()).isEqualTo(
                Files.size(OciLayouts.blobPath(tmp.resolve("good"), entries.get(1).get("digest").asText())));
    }

    @Test
    void auditAllPlatformsPassesAGoodIndexAndNamesTheWrongOne() throws Exception {
        Cli good = Cli.run("audit", goodIndex(), "--all-platforms");
        assertThat(good.exitCode()).as(good.out() + good.err()).isZero();
        assertThat(good.out()).contains("== linux/amd64 ==\nImage ", "== linux/arm64/v8 ==\nImage ")
                .endsWith("All platforms: pass (2 audited)\n")
                .doesNotContain("elf-wrong-machine", "index-platform-mismatch", "unknown/unknown");

        String bad = badIndex();
        Cli text = Cli.run("audit", bad, "--all-platforms");
        assertThat(text.exitCode()).as(text.err()).isEqualTo(AuditCommand.EXIT_FINDINGS);
        String arm = text.out().substring(text.out().indexOf("== linux/arm64/v8 =="));
        assertThat(text.out().substring(0, text.out().indexOf("== linux/arm64/v8 =="))).doesNotContain("elf-wrong-machine");
        assertThat(arm).contains("elf-wrong-machine", "2 ELF files (1 program, 1 library) are x86-64, but the image is "
                + "linux/arm64/v8 (aarch64)", FakeNginx.PROGRAM, "entrypoint-cannot-start");
        assertThat(text.out()).endsWith("All platforms: FAIL (linux/arm64/v8 failed)\n");

        Cli json = Cli.run("audit", bad, "--all-platforms", "--json");
        assertThat(json.exitCode()).isEqualTo(AuditCommand.EXIT_FINDINGS);
        JsonNode j = JSON.readTree(json.out());
        assertThat(j.get("index").asBoolean()).isTrue();
        assertThat(j.get("platforms")).hasSize(2);
        assertThat(j.get("platforms").get(0).get("result").asText()).isEqualTo("pass");
        JsonNode armReport = j.get("platforms").get(1);
        assertThat(armReport.get("platform").asText()).isEqualTo("linux/arm64/v8");
        assertThat(armReport.get("indexPlatform").asText()).isEqualTo("linux/arm64/v8");
        assertThat(armReport.get("result").asText()).isEqualTo("fail");
        JsonNode wrong = AuditCommandTest.finding(armReport, "elf-wrong-machine");
        assertThat(wrong.get("severity").asText()).isEqualTo("high");
        assertThat(AuditCommandTest.paths(wrong)).containsExactly(FakeNginx.PROGRAM, FakeNginx.LD_X86_64);
        assertThat(j.get("failed")).hasSize(1);
        assertThat(j.get("result").asText()).isEqualTo("fail");

        // the exit code is the policy's, over every platform
        assertThat(Cli.run("audit", bad, "--all-platforms", "--fail-on", "critical").exitCode())
                .isEqualTo(AuditCommand.EXIT_FINDINGS); // entrypoint-cannot-start is critical
        assertThat(Cli.run("audit", bad, "--all-platforms", "--fail-on", "none").exitCode()).isZero();
    }

    @Test
    void auditOfOneImageOfAnIndexChecksItsLabelAndSaysWhichItIs() throws Exception {
        // listed as amd64, but config and files are arm64: consistent inside, wrong in the index
        String ref = new HandMadeIndex()
                .image(FakeNginx.aarch64().platform("arm64", "linux", null), "linux/amd64")
                .image(FakeNginx.aarch64().platform("arm64", "linux", null).layer(l -> l.file("x", 0644, "x")), "linux/arm64")
                .write(tmp.resolve("relabelled"), "1");
        Cli r = Cli.run("audit", ref, "--platform", "linux/amd64");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(AuditCommand.EXIT_FINDINGS);
        assertThat(r.out()).contains("\nPlatform    linux/amd64 (2 images in the index; --all-platforms audits each)\n")
                .containsPattern("high +index-platform-mismatch +the index lists sha256:[0-9a-f]{12}… as linux/amd64, "
                        + "but its config says linux/arm64: linux/amd64 hosts pull an image built for another platform")
                .doesNotContain("elf-wrong-machine");
        JsonNode j = JSON.readTree(Cli.run("audit", ref, "--platform", "linux/arm64", "--json").out());
        assertThat(AuditCommandTest.ids(j)).doesNotContain("index-platform-mismatch", "elf-wrong-machine");
        assertThat(j.get("platform").asText()).isEqualTo("linux/arm64");

        Cli all = Cli.run("audit", ref, "--all-platforms");
        assertThat(all.exitCode()).isEqualTo(AuditCommand.EXIT_FINDINGS);
        assertThat(all.out()).contains("\n== linux/amd64 (its config says linux/arm64) ==\nImage ",
                "\n== linux/arm64 ==\nImage ").endsWith("All platforms: FAIL (linux/amd64 failed)\n");

        Cli both = Cli.run("audit", ref, "--all-platforms", "--platform", "linux/arm64");
        assertThat(both.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(both.err()).isEqualTo("distrolix: --all-platforms audits every platform: leave out --platform linux/arm64\n");
    }

    @Test
    void aLoneImageAuditedWithAllPlatformsIsOneSectionAndTheUsualOutputOtherwise() throws Exception {
        String ref = FakeNginx.aarch64().write(tmp.resolve("lone")); // config amd64, files aarch64
        Cli all = Cli.run("audit", ref, "--all-platforms");
        assertThat(all.exitCode()).isEqualTo(AuditCommand.EXIT_FINDINGS);
        assertThat(all.out()).startsWith("== linux/amd64 ==\nImage ").doesNotContain("Index")
                .endsWith("All platforms: FAIL (linux/amd64 failed)\n");
        Cli one = Cli.run("audit", ref);
        assertThat(one.out()).startsWith("Image ").doesNotContain("\nPlatform ", "All platforms")
                .contains("elf-wrong-machine", "3 ELF files (1 program, 2 libraries) are aarch64");
    }

    @Test
    void sbomAllPlatformsIsOneSectionPerPlatformAndRefusesDocuments() throws Exception {
        String ref = goodIndex();
        Cli table = Cli.run("sbom", ref, "--all-platforms");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).startsWith("== linux/amd64 ==\nImage  " + ref + " (sha256:")
                .contains("\n\n== linux/arm64/v8 ==\nImage  " + ref + " (sha256:");
        List<String> digests = manifestDigests(tmp.resolve("good"));
        assertThat(table.out().indexOf(digests.get(0))).isLessThan(table.out().indexOf("== linux/arm64/v8"));
        assertThat(table.out().indexOf(digests.get(1))).isGreaterThan(table.out().indexOf("== linux/arm64/v8"));
        assertThat(table.out().split("\nnginx ", -1)).hasSize(3); // a row per platform

        JsonNode j = JSON.readTree(Cli.run("sbom", ref, "--all-platforms", "--json").out());
        assertThat(j.get("platforms")).hasSize(2);
        assertThat(j.get("platforms").get(1).get("platform").asText()).isEqualTo("linux/arm64/v8");
        assertThat(j.get("platforms").get(1).get("digest").asText()).isEqualTo(digests.get(1));
        List<String> names = new ArrayList<>();
        j.get("platforms").get(1).get("components").forEach(c -> names.add(c.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("glibc", "nginx");

        Path out = tmp.resolve("x.cdx.json");
        Cli doc = Cli.run("sbom", ref, "--all-platforms", "-o", out.toString());
        assertThat(doc.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(doc.err()).isEqualTo("distrolix: --all-platforms prints a table or --json: a CycloneDX document "
                + "describes one image (write one per --platform)\n");
        assertThat(out).doesNotExist();
        Cli spdx = Cli.run("sbom", ref, "--all-platforms", "--format", "spdx");
        assertThat(spdx.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(spdx.errLine()).contains("a SPDX document describes one image");
        String plain = new HandMadeIndex()
                .image(new HandMadeImages().layer(l -> l.file("etc/os-release", 0644, "ID=x\n")), "linux/amd64")
                .image(FakeNginx.aarch64().platform("arm64", "linux", null), "linux/arm64")
                .write(tmp.resolve("plain"), "1");
        Cli warned = Cli.run("sbom", plain, "--all-platforms");
        assertThat(warned.exitCode()).as(warned.err()).isZero();
        assertThat(warned.err()).isEqualTo("distrolix: warning: " + plain + " (linux/amd64) has no /nix/store paths: "
                + "its SBOM lists no components\n");
        Cli required = Cli.run("sbom", plain, "--all-platforms", "--require-store-paths");
        assertThat(required.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(required.errLine()).endsWith("(linux/amd64) has no /nix/store paths: its SBOM lists no components "
                + "(--require-store-paths)");

        // without --all-platforms a document is written as before, for the chosen platform
        Cli one = Cli.run("sbom", ref, "--platform", "linux/arm64", "--format", "cyclonedx");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).contains("\"bomFormat\"");
    }
}
