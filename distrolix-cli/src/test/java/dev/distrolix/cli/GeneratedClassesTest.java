package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm build, inspect, audit, sbom and diff, as {@code bin/distrolix} runs them on a Java 25 with their AOT caches, make no class
 * at run time: every class comes from the cache (or a jar). The JVM generates classes for what the cache does not
 * keep: method handles behind a record's generated equals/hashCode (~10 ms for the first in a run), the JDK's own
 * lambdas ({@code Comparator.comparing}: 5-8 ms), reflection (picocli's Path converter), {@code Files.createTempFile}'s
 * SecureRandom. Run on a copy of {@code bin/} and the jar, with a {@code java} that adds a class-loading log, so that
 * the checkout's own caches are left alone.
 */
@IntegrationTest
class GeneratedClassesTest {
    @TempDir
    Path tmp;

    @Test
    void aWarmBuildAndTheAnalysesGenerateNoClasses() throws Exception {
        Path home = copyOfLauncher();
        Path java = javaWithLog(home);
        Path cache = tmp.resolve("cache");
        // a copy of the example whose page each build edits first, as a developer's builds do: a build that makes no
        // layer would leave its archive to be recorded again by the next (bin/distrolix's ARCHIVE.partial)
        Path spec = Files.createDirectories(tmp.resolve("nginx"));
        try (var files = Files.list(Fixtures.repo().resolve("examples/nginx"))) {
            for (Path f : files.toList()) {
                Files.copy(f, spec.resolve(f.getFileName()));
            }
        }
        List<String> build = List.of("build", spec.resolve("image.yaml").toString(), "-I",
                "nixpkgs=" + Fixtures.debianPackageSet(), "--cache-dir", cache.toString(), "-q", "-o",
                "oci:" + tmp.resolve("out"));
        // fills the layer cache without making an archive, so that the archive is made by (trained on) a warm build
        Fixtures.Exit fill = run(home, java, build, null, "DISTROLIX_CDS", "off");
        assertThat(fill.code()).as(fill.err()).isZero();
        String out = "oci:" + tmp.resolve("out");
        for (List<String> args : List.of(build, List.of("inspect", out), List.of("audit", out), List.of("sbom", out),
                List.of("diff", out, out))) {
            String kind = args.get(0).equals("build") ? "distrolix.aot" : "distrolix-" + args.get(0) + ".aot";
            edit(spec, args);
            if (!args.get(0).equals("build")) {
                // first without an archive: what it keeps of the new image's layers (inspect's records) is there for
                // both runs below, as for the analyses of an image read before
                Fixtures.Exit fillRecords = run(home, java, args, null, "DISTROLIX_CDS", "off");
                assertThat(fillRecords.code()).as(fillRecords.err()).isIn(0, 4);
            }
            Fixtures.Exit training = run(home, java, args, null);
            assertThat(training.code()).as(training.err()).isIn(0, 4); // audit: 4 when it finds something
            Path stamp = home.resolve("distrolix-cli/target/" + kind + ".stamp");
            for (int i = 0; i < 600 && !Files.exists(stamp); i++) { // made in the background after the run: ~2 s
                Thread.sleep(100);
            }
            assertThat(stamp).as("bin/distrolix runs on a Java 25 here and makes its AOT cache").exists();
            Path log = tmp.resolve(args.get(0) + ".log");
            edit(spec, args);
            Fixtures.Exit logged = run(home, java, args, log);
            assertThat(logged.code()).as(logged.err()).isIn(0, 4);
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).as("classes loaded from " + kind).anyMatch(l -> l.contains("source: shared objects file"));
            List<String> generated = new ArrayList<>();
            for (String l : lines) {
                // a hidden class the JVM spun (method handles, string concatenation), or a lambda of the JDK's
                if (l.contains("source: __JVM_LookupDefineClass__") || l.matches(".* source: (java|jdk|sun)\\.[\\w.$]+$")) {
                    generated.add(l);
                }
            }
            assertThat(generated).as(String.join(" ", args)).isEmpty();
        }
    }

    /** Before a build, a new page: the build makes the declared files' layer (the analyses read the last one). */
    private static void edit(Path spec, List<String> args) throws java.io.IOException {
        if (args.get(0).equals("build")) {
            Files.writeString(spec.resolve("index.html"), "<p>" + System.nanoTime() + "</p>\n");
        }
    }

    /** {@code bin/} and the jar (with zstd's library), where their caches can be made without touching the checkout's. */
    private Path copyOfLauncher() throws Exception {
        Path home = tmp.resolve("home");
        Path repo = Fixtures.repo();
        Files.createDirectories(home.resolve("bin"));
        for (String f : List.of("bin/distrolix", "bin/choose-java.sh")) {
            Files.copy(repo.resolve(f), home.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path target = Files.createDirectories(home.resolve("distrolix-cli/target"));
        Files.copy(repo.resolve("distrolix-cli/target/distrolix.jar"), target.resolve("distrolix.jar"));
        Fixtures.exec(new ProcessBuilder("cp", "-r", repo.resolve("distrolix-cli/target/native").toString(),
                target.toString()));
        return home;
    }

    /**
     * A JDK folder whose {@code bin/java} is the Java 25 bin/distrolix would choose, with a class-loading log added
     * when {@code LOG} names a file (logging options do not make the JVM refuse an AOT cache).
     */
    private Path javaWithLog(Path home) throws Exception {
        Fixtures.Exit chosen = Fixtures.exec(new ProcessBuilder("bash", "-c",
                ". bin/choose-java.sh; choose_java; echo \"$mode $jbin\"").directory(home.toFile()));
        String[] modeAndJava = chosen.out().strip().split(" ", 2);
        assertThat(modeAndJava[0]).as("a Java 25 is installed (bin/distrolix uses its AOT cache)").isEqualTo("aot");
        Path real = Path.of(modeAndJava[1]);
        Path jdk = tmp.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.copy(real.getParent().getParent().resolve("release"), jdk.resolve("release"));
        return Fixtures.script(jdk.resolve("bin/java"), "if [ -n \"${LOG:-}\" ]; then exec '" + real
                + "' \"-Xlog:class+load=info:file=$LOG\" \"$@\"; fi\nexec '" + real + "' \"$@\"");
    }

    private static Fixtures.Exit run(Path home, Path java, List<String> args, Path log, String... env) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/distrolix").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(Fixtures.repo().toFile());
        pb.environment().put("NIX_CONFIG", "substituters =");
        pb.environment().put("DISTROLIX_JAVA", java.toString());
        pb.environment().remove("LOG");
        if (log != null) {
            pb.environment().put("LOG", log.toString());
        }
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        return Fixtures.exec(pb);
    }
}
