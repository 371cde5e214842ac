package dev.distrolix.cli;

import static dev.distrolix.cli.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images made by the real umoci and podman that hide a shell behind each kind of link: every one
 * is reported, at the path the runtime runs — checked against what umoci itself unpacks — and
 * inspect, compare and audit count the same files.
 */
@IntegrationTest
class HiddenShellsTest {
    @TempDir
    Path tmp;

    private static JsonNode json(Cli r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    static List<String> paths(JsonNode audit, String id) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : audit.get("findings")) {
            if (f.get("id").asText().equals(id)) {
                f.get("paths").forEach(p -> out.add(p.asText()));
            }
        }
        return out;
    }

    interface Stage {
        /** Fills the staging directory; returns the names to put in the layer. */
        List<String> fill(Path stage) throws Exception;
    }

    private void addLayer(String img, String name, Stage stage) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("stage-" + name));
        List<String> cmd = new ArrayList<>(List.of("tar", "-C", dir.toString(), "--no-recursion", "-cf",
                tmp.resolve(name + ".tar").toString()));
        for (String n : stage.fill(dir)) {
            try (var walk = Files.walk(dir.resolve(n))) {
                walk.forEach(p -> cmd.add(dir.relativize(p).toString()));
            }
        }
        Fixtures.run(cmd.toArray(String[]::new));
        Fixtures.run("umoci", "raw", "add-layer", "--image", img, tmp.resolve(name + ".tar").toString());
    }

    /** Copies {@code from} to {@code name} in the stage: the layer holds only the file's entry. */
    private static List<String> file(Path stage, String from, String name) throws Exception {
        Path to = stage.resolve(name);
        Files.createDirectories(to.getParent());
        Files.copy(Path.of(from), to);
        return List.of(name);
    }

    private static String busybox() {
        return Fixtures.storePath("busybox") + "/bin/busybox";
    }

    @Test
    void umociLayersThroughSymlinkedDirectories() throws Exception {
        Path layout = tmp.resolve("layout");
        String img = layout + ":img";
        Fixtures.run("umoci", "init", "--layout", layout.toString());
        Fixtures.run("umoci", "new", "--image", img);
        // layer 1: the links; later layers: files named through them. Layers are tars GNU tar makes,
        // added with `umoci raw add-layer` (umoci 0.4.7's insert writes truncated tars).
        addLayer(img, "links", stage -> {
            Files.createDirectories(stage.resolve("usr/bin"));
            Files.createDirectories(stage.resolve("opt"));
            Files.createSymbolicLink(stage.resolve("x"), Path.of("/usr/bin"));
            Files.createSymbolicLink(stage.resolve("a"), Path.of("b"));
            Files.createSymbolicLink(stage.resolve("b"), Path.of("/usr/bin"));
            Files.createSymbolicLink(stage.resolve("opt/tools"), Path.of("../usr/bin"));
            Files.createSymbolicLink(stage.resolve("opt/up"), Path.of("../../../../usr/bin")); // clamped at /
            return List.of("usr", "opt", "x", "a", "b");
        });
        addLayer(img, "l2", stage -> file(stage, "/usr/bin/bash", "x/bash"));
        addLayer(img, "l3", stage -> file(stage, "/usr/bin/bash", "a/python"));
        addLayer(img, "l4", stage -> file(stage, busybox(), "opt/tools/helper"));
        addLayer(img, "l5", stage -> file(stage, "/usr/bin/dash", "opt/up/runner"));

        JsonNode audit = json(Cli.run("audit", "oci:" + img, "--json", "--fail-on", "none"));
        assertThat(paths(audit, "shell")).contains("/usr/bin/bash", "/usr/bin/python (bash)",
                "/usr/bin/helper (busybox)", "/usr/bin/runner (dash)");

        // what umoci's own unpack makes: the same runtime paths
        Path bundle = tmp.resolve("bundle");
        Fixtures.run("umoci", "unpack", "--image", img, bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        for (String p : List.of("usr/bin/bash", "usr/bin/python", "usr/bin/helper", "usr/bin/runner")) {
            assertThat(Files.isRegularFile(rootfs.resolve(p), java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(p).isTrue();
        }

        // x, a, b, opt/tools, opt/up, bash, python, helper, runner (inspect and compare refuse /opt/up,
        // a link climbing above the root, by the readers' policy; the podman image compares their counts)
        assertThat(audit.get("files").asLong()).isEqualTo(9);
    }

    @Test
    void podmanBuildWithLinksHardLinksAndCopies() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Path root = Files.createDirectories(ctx.resolve("root"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("usr/local/bin"));
        Files.copy(Path.of("/usr/bin/bash"), root.resolve("usr/bin/bash"));
        Files.createLink(root.resolve("usr/bin/ls"), root.resolve("usr/bin/bash")); // a hard link named ls
        Files.createSymbolicLink(root.resolve("usr/local/bin/tool"), Path.of("/usr/bin/bash"));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.copy(Path.of(busybox()), ctx.resolve("bb"));
        Files.copy(Path.of("/usr/bin/bash"), ctx.resolve("python"));
        Files.writeString(ctx.resolve("Containerfile"), """
                FROM scratch
                COPY root/ /
                COPY bb /usr/lib/helper
                COPY python /opt/python
                """);
        String tag = "localhost/distrolix-hidden-shells:test";
        try {
            podman("build", "--no-cache", "-t", tag, "-f", ctx.resolve("Containerfile").toString(), ctx.toString());
            JsonNode audit = json(Cli.run("audit", "podman:" + tag, "--json", "--fail-on", "none"));
            List<String> shells = paths(audit, "shell");
            assertThat(shells).contains("/usr/bin/bash", "/usr/lib/helper (busybox)", "/opt/python (bash)",
                    "/usr/local/bin/tool -> /usr/bin/bash");
            assertThat(shells).anyMatch(p -> p.startsWith("/usr/bin/ls") && p.contains("bash"));
            JsonNode inspect = json(Cli.run("inspect", "podman:" + tag, "--json"));
            JsonNode compare = json(Cli.run("compare", "podman:" + tag, "--json"));
            long files = audit.get("files").asLong();
            assertThat(inspect.get("files").asLong()).isEqualTo(files);
            assertThat(compare.get(0).get("files").asLong()).isEqualTo(files);
            // bin, usr/bin/bash, usr/bin/ls, usr/local/bin/tool, usr/lib/helper, opt/python
            assertThat(files).isEqualTo(6);
        } finally {
            podman("rmi", "-f", tag);
        }
    }
}
