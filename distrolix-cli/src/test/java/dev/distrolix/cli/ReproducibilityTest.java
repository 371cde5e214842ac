package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same spec, different folders, times and machines' file mtimes → the same image, bit for bit. */
@IntegrationTest
class ReproducibilityTest {
    @TempDir
    Path tmp;

    private Path copyExample(String folder, Instant mtime) throws IOException {
        Path src = Fixtures.repo().resolve("examples/nginx");
        Path dst = Files.createDirectories(tmp.resolve(folder).resolve("nginx"));
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) {
                Path d = dst.resolve(f.getFileName());
                Files.copy(f, d);
                Files.setLastModifiedTime(d, FileTime.from(mtime));
            }
        }
        return dst.resolve("image.yaml");
    }

    private Cli build(Path spec, Path layout, Map<String, String> env) {
        // --no-cache: every layer is really written again, so equal digests prove the writer is deterministic
        Cli r = CliProcess.run(env, spec.getParent(), "build", spec.toString(), "-q", "--no-cache",
                "-I", "nixpkgs=" + Fixtures.debianPackageSet(), "-o", "oci:" + layout + ":r");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void twoBuildsInDifferentFoldersAtDifferentTimesGiveTheSameDigest() throws Exception {
        Path a = copyExample("a", Instant.parse("2001-01-01T00:00:00Z"));
        Path b = copyExample("somewhere/else/b", Instant.now());
        Cli first = build(a, tmp.resolve("out-a"), Map.of());
        Thread.sleep(1100); // a different second on the clock
        Cli second = build(b, tmp.resolve("out-b"), Map.of());
        assertThat(first.out().strip()).startsWith("sha256:").isEqualTo(second.out().strip());
        assertThat(OciLayouts.config(tmp.resolve("out-a")).get("created").asText()).isEqualTo("1970-01-01T00:00:01Z");
    }

    @Test
    void sourceDateEpochChangesOnlyCreated() throws Exception {
        Path spec = copyExample("sde", Instant.now());
        build(spec, tmp.resolve("epoch-1"), Map.of("SOURCE_DATE_EPOCH", "1700000000"));
        build(spec, tmp.resolve("epoch-2"), Map.of("SOURCE_DATE_EPOCH", "1800000000"));
        JsonNode c1 = OciLayouts.config(tmp.resolve("epoch-1"));
        JsonNode c2 = OciLayouts.config(tmp.resolve("epoch-2"));
        assertThat(c1.get("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(c2.get("created").asText()).isEqualTo("2027-01-15T08:00:00Z");
        assertThat(withoutCreated(c1)).isEqualTo(withoutCreated(c2));
        // the layers are the same blobs: only the config (and so the manifest) differ
        assertThat(OciLayouts.manifest(tmp.resolve("epoch-1")).get("layers"))
                .isEqualTo(OciLayouts.manifest(tmp.resolve("epoch-2")).get("layers"));
        assertThat(OciLayouts.manifest(tmp.resolve("epoch-1")).get("config"))
                .isNotEqualTo(OciLayouts.manifest(tmp.resolve("epoch-2")).get("config"));
    }

    private static JsonNode withoutCreated(JsonNode config) {
        ObjectNode c = config.deepCopy();
        c.remove("created");
        c.withArray("history").forEach(h -> ((ObjectNode) h).remove("created"));
        return c;
    }
}
