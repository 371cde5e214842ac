package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at random points of build, copy and push (a separate JVM, SIGKILLed after a seeded
 * random delay within the command's measured duration), then the same command once more: it
 * succeeds with the reference digest, and nothing is left in the temp folder, beside the target
 * or in the cache. {@code -Ddistrolix.kill.count=N} and {@code -Ddistrolix.kill.seed=S} reproduce a run.
 */
@IntegrationTest
class KillCliTest {
    /** Runs per command; a build (about 3 s, twice per run) gets fewer so that the three fit in about 4 minutes. */
    static final Integer COUNT = Integer.getInteger("distrolix.kill.count");
    static final int BUILD_COUNT = COUNT != null ? COUNT : 30;
    static final int OTHER_COUNT = COUNT != null ? COUNT : 30;
    static final long SEED = Long.getLong("distrolix.kill.seed", 6_2024L);

    @TempDir
    Path tmp;
    Path jtmp;
    Map<String, String> env;

    @BeforeEach
    void environment() throws IOException {
        jtmp = Files.createDirectories(tmp.resolve("jtmp"));
        env = new HashMap<>();
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("DISTROLIX_CACHE_DIR", tmp.resolve("cache").toString());
        env.put("TMPDIR", jtmp.toString());
        // the child's own temp folder, watched for leftovers; no hsperfdata file (a JVM's, not ours)
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + jtmp + " -XX:-UsePerfData -XX:TieredStopAtLevel=1");
    }

    /** What one iteration runs: its arguments, and where its output lands (to read back and to check beside). */
    record Run(List<String> args, String output, List<Path> watched) {}

    @Test
    void killedBuildsRunAgainGiveTheRightDigestAndLeaveNothing() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        IntFunction<Run> run = i -> {
            List<String> args = new ArrayList<>(List.of("build", NginxImageTest.EXAMPLE.toString(),
                    "-I", NginxImageTest.INCLUDE, "-q", "--tag", "1"));
            // a fresh cache for half of them (killed while it fills), none for the other half (temp folder)
            if (i % 2 == 0) {
                args.add("--no-cache");
            } else {
                args.addAll(List.of("--cache-dir", tmp.resolve("cache-" + i).toString()));
            }
            return withTarget(args, out, i, tmp.resolve("cache-" + i));
        };
        killAndRerun("build", BUILD_COUNT, run);
    }

    @Test
    void killedCopiesRunAgainGiveTheRightDigestAndLeaveNothing() throws Exception {
        String source = NginxLayout.reference();
        Path out = Files.createDirectories(tmp.resolve("out"));
        killAndRerun("copy", OTHER_COUNT, i -> withTarget(new ArrayList<>(List.of("copy", source, "-q")), out, i, null));
    }

    @Test
    void killedPushesRunAgainGiveTheRightDigestAndLeaveNothing() throws Exception {
        String source = NginxLayout.reference();
        try (RegistryServer registry = RegistryServer.in(tmp.resolve("registry")).start()) {
            // a new repository each time, so every run has blobs to send (none mounted: a fresh HOME has no hints)
            killAndRerun("push", OTHER_COUNT, i -> {
                String ref = "docker://" + registry.address() + "/kill-" + i + ":1";
                return new Run(List.of("copy", source, ref, "-q"), ref, List.of(tmp.resolve("home")));
            });
        }
    }

    /** oci:, oci-archive: and docker-archive: in turn, each replacing the output of an earlier iteration. */
    private static Run withTarget(List<String> args, Path out, int i, Path cache) {
        String target = switch (i % 3) {
            case 0 -> "oci:" + out.resolve("layout") + ":1";
            case 1 -> "oci-archive:" + out.resolve("image.tar") + ":1";
            default -> "docker-archive:" + out.resolve("docker.tar") + ":kill/nginx:1";
        };
        List<String> all = new ArrayList<>(args);
        if (all.get(0).equals("build")) {
            all.addAll(List.of("-o", target));
        } else {
            all.add(2, target);
        }
        List<Path> watched = new ArrayList<>(List.of(out, out.resolve("layout"), out.resolve("layout/blobs/sha256")));
        if (cache != null) {
            watched.add(cache.resolve("keys"));
            watched.add(cache.resolve("blobs/sha256"));
        }
        return new Run(all, target, watched);
    }

    private void killAndRerun(String what, int count, IntFunction<Run> runs) throws Exception {
        // the reference: one full run, which also gives the typical duration
        Run first = runs.apply(count); // a shape of its own (a push: its own repository)
        long t0 = System.nanoTime();
        Cli ref = CliProcess.run(env, tmp, first.args().toArray(String[]::new));
        long typicalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ref.exitCode()).as("%s reference: %s", what, ref.err()).isZero();
        if (what.equals("build")) {
            // a first build pays for what the next ones find ready (the page cache, the store's files): the faster
            // of two is the typical run, so that kills land inside the command, as the count below demands (a
            // second copy or push would find its blobs there and be no measure)
            long t1 = System.nanoTime();
            Cli again0 = CliProcess.run(env, tmp, first.args().toArray(String[]::new));
            typicalMs = Math.min(typicalMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
            assertThat(again0.out()).isEqualTo(ref.out());
        }
        String digest = ref.out().strip();
        assertThat(digest).startsWith("sha256:");

        Random random = new Random(SEED ^ what.hashCode());
        int killed = 0;
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Run r = runs.apply(i);
            long delay = (long) (random.nextDouble() * typicalMs);
            Path log = tmp.resolve(what + "-" + i + ".log");
            Process p = CliProcess.start(env, tmp, log, r.args().toArray(String[]::new));
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL: no catch block, no shutdown hook runs
                killed++;
            }
            int code = p.waitFor();
            assertThat(code).as("%s #%d (seed %d, delay %d ms): %s", what, i, SEED, delay, Files.readString(log))
                    .isIn(0, 137);

            Cli again = CliProcess.run(env, tmp, r.args().toArray(String[]::new));
            assertThat(again.exitCode()).as("%s #%d rerun after a kill at %d ms (seed %d): %s", what, i, delay, SEED,
                    again.err()).isZero();
            assertThat(again.out().strip()).as("%s #%d digest", what, i).isEqualTo(digest);
            try (OpenedImage o = Transports.open(r.output(), RegistrySettings.defaults())) {
                assertThat(o.image(null).manifestDigest().toString()).as("%s #%d: %s", what, i, r.output())
                        .isEqualTo(digest);
            }
            List<String> left = new ArrayList<>(leftovers(jtmp));
            for (Path d : r.watched()) {
                left.addAll(leftovers(d));
            }
            assertThat(left).as("%s #%d left behind (kill at %d ms)", what, i, delay).isEmpty();
        }
        long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf(Locale.ROOT, "kill test %s: %d runs, %d killed midway, typical run %d ms, %d ms in all%n",
                what, count, killed, typicalMs, totalMs);
        // most kills must land inside the command, or this tests nothing
        assertThat(killed).as("%s: runs killed before they finished", what).isGreaterThanOrEqualTo(count / 2);
    }

    /** Temp names of ours in {@code dir} (not recursive; recursive for the home folder's caches). */
    static List<String> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = dir.getFileName().toString().equals("home") ? Files.walk(dir) : Files.list(dir)) {
            return s.map(p -> dir.relativize(p).toString())
                    .filter(n -> n.contains(".tmp") || n.contains(".part-") || n.startsWith("distrolix-")
                            || n.endsWith(".tmp") || n.startsWith("sqlite-")) // SQLite's library, copied out
                    .map(n -> dir + "/" + n)
                    .toList();
        }
    }
}
