package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.sign.keys.CosignKeys;
import dev.distrolix.sign.keys.PrivateKeyFile;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/distrolix}, as users run it: the first build after the jars change makes its start-up archive
 * (an AOT cache on a Java 25+, else an AppCDS archive) without a word on stdout or stderr, the next run uses it,
 * and each gives the digest a run without any archive gives; a signing build, another command and a run that
 * names none, and a build that pushes each make an archive of their own and leave the build's as it is; after a
 * maker that was killed, the next run makes the archive before it exits.
 */
@IntegrationTest
class LauncherTest {
    @TempDir
    Path tmp;

    static Fixtures.Exit launch(Path out, String... env) {
        return launch("oci:" + out, List.of(), env);
    }

    /** A build of the nginx example to {@code target}, with {@code more} arguments. */
    static Fixtures.Exit launch(String target, List<String> more, String... env) {
        List<String> args = new ArrayList<>(List.of("build", "examples/nginx/image.yaml", "-I",
                "nixpkgs=" + Fixtures.debianPackageSet(), "--no-cache", "-q", "-o", target));
        args.addAll(more);
        return run(args, env);
    }

    static Fixtures.Exit run(List<String> args, String... env) {
        List<String> command = new ArrayList<>(List.of(Fixtures.repo().resolve("bin/distrolix").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(Fixtures.repo().toFile());
        pb.environment().put("NIX_CONFIG", "substituters =");
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        return Fixtures.exec(pb);
    }

    /** Java runs with two glibc malloc arenas (zstd's workers grew one each), unless the user chose a number. */
    @Test
    void javaRunsWithTwoMallocArenasUnlessTheUserSetsThem() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Fixtures.script(bin.resolve("java"), "echo \"arenas=${MALLOC_ARENA_MAX:-unset}\"");
        String path = bin + ":" + System.getenv("PATH");
        Fixtures.Exit ours = run(List.of("--version"), "DISTROLIX_CDS", "off", "PATH", path);
        assertThat(ours.out()).as(ours.err()).isEqualTo("arenas=2\n");
        Fixtures.Exit theirs = run(List.of("--version"), "DISTROLIX_CDS", "off", "PATH", path, "MALLOC_ARENA_MAX", "4");
        assertThat(theirs.out()).as(theirs.err()).isEqualTo("arenas=4\n");
    }

    /**
     * A zstd build loads zstd-jni's library where the build unpacked it (not a copy in a temporary folder) and
     * calls it through JNI (the jar has no copies that bind it through the foreign function API, ~0.13 s to set
     * up), on the AOT path and on Java 17 alike; the image is the same.
     */
    @Test
    void zstdLoadsItsLibraryInPlaceThroughJni() throws Exception {
        String arch = System.getProperty("os.arch");
        String library = Fixtures.repo().resolve("distrolix-cli/target/native/linux/" + arch).toString()
                + "/libzstd-jni-";
        String digest = null;
        for (String cds : List.of("on", "off")) {
            Path log = tmp.resolve("library-" + cds + ".log");
            Fixtures.Exit run = launch("oci:" + tmp.resolve("zstd-" + cds), List.of("--compression", "zstd"),
                    "DISTROLIX_CDS", cds, "DISTROLIX_JAVA_OPTS", "-Xlog:library=info:file=" + log);
            assertThat(run.code()).as(run.err()).isZero();
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).as(cds).anyMatch(l -> l.contains("Loaded library " + library))
                    .noneMatch(l -> l.contains("Loaded library") && l.contains("zstd") && !l.contains(library))
                    .anyMatch(l -> l.contains("Found Java_com_github_luben_zstd_ZstdOutputStreamNoFinalizer_compressStream"));
            if (digest != null) {
                assertThat(run.out()).isEqualTo(digest);
            }
            digest = run.out();
        }
    }

    /**
     * A gzip build deflates with the system's zlib through distrolix's JNI library (bin/distrolix names it), a
     * small one (nginx) as a big one (the JRE closure); without the library named, a big one binds the system's
     * zlib through the foreign function API (SystemZlib), and a small one keeps the JDK's. Every way gives the
     * digest the JDK's zlib alone gives, and the one the java on PATH (17, its own Deflater) gives.
     */
    @Test
    void gzipBuildsDeflateWithTheSystemsZlibForTheSameImage() throws Exception {
        for (String spec : List.of("examples/nginx/image.yaml", "bench/jre.yaml")) {
            boolean big = spec.contains("jre");
            String digest = null;
            for (String zlib : List.of("jni", "ffm", "jdk", "java-on-path")) {
                Path log = tmp.resolve("zlib-" + zlib + (big ? "-jre" : "-nginx") + ".log");
                List<String> args = List.of("build", spec, "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                        "--no-cache", "-q", "-o", "oci:" + tmp.resolve(zlib + (big ? "-jre" : "-nginx")));
                String property = switch (zlib) {
                    case "ffm" -> "-Ddistrolix.zlib.jni= ";
                    case "jdk" -> "-Ddistrolix.zlib=jdk ";
                    default -> "";
                };
                Fixtures.Exit run = zlib.equals("java-on-path")
                        ? run(args, "DISTROLIX_CDS", "off")
                        : run(args, "DISTROLIX_JAVA_OPTS", property + "-Xlog:class+load=info,library=info:file=" + log);
                assertThat(run.code()).as(run.err()).isZero();
                assertThat(run.out()).startsWith("sha256:");
                if (!zlib.equals("java-on-path")) {
                    List<String> lines = Files.readAllLines(log);
                    boolean jni = zlib.equals("jni");
                    boolean ffm = zlib.equals("ffm") && big;
                    assertThat(lines.stream().anyMatch(l -> l.contains("Loaded library")
                            && l.contains("/libdistrolix-zlib.so"))).as(zlib + " " + spec).isEqualTo(jni);
                    assertThat(lines.stream().anyMatch(l -> l.contains("dev.distrolix.tar.ZlibJni "))).as(zlib).isEqualTo(jni);
                    assertThat(lines.stream().anyMatch(l -> l.contains("dev.distrolix.tar.SystemZlibDeflater ")))
                            .as(zlib + " " + spec).isEqualTo(ffm);
                    assertThat(lines.stream().anyMatch(l -> l.contains("Loaded library") && l.contains("libz.so.1")))
                            .as(zlib + " " + spec).isEqualTo(ffm);
                }
                if (digest != null) {
                    assertThat(run.out()).as(zlib + " " + spec).isEqualTo(digest);
                }
                digest = run.out();
            }
        }
    }

    /**
     * A gzip image is inflated by ISA-L through distrolix's library where bin/distrolix names it, by the JDK's zlib
     * where it names none: the same report either way (an audit reads every layer's tar).
     */
    @Test
    void gzipLayersInflateWithIsalWhereTheLibraryIsAndReadTheSame() throws Exception {
        Path layout = tmp.resolve("isal-layout");
        Fixtures.Exit built = launch(layout);
        assertThat(built.code()).as(built.err()).isZero();
        List<String> args = List.of("audit", "oci:" + layout, "--json");
        Path ours = tmp.resolve("isal.log");
        Fixtures.Exit withIsal = run(args, "DISTROLIX_JAVA_OPTS", "-Xlog:class+load=info,library=info:file=" + ours);
        assertThat(withIsal.code()).as(withIsal.err()).isZero();
        // loaded, and chosen: its self-test passed, so the JDK's inflater was never made
        assertThat(Files.readAllLines(ours)).anyMatch(l -> l.contains("Loaded library") && l.contains("/libdistrolix-isal.so"))
                .noneMatch(l -> l.contains("dev.distrolix.blob.RawInflater$Jdk "));
        Path jdk = tmp.resolve("isal-none.log");
        Fixtures.Exit without = run(args, "DISTROLIX_JAVA_OPTS",
                "-Ddistrolix.isal.jni= -Xlog:class+load=info,library=info:file=" + jdk);
        assertThat(without.code()).as(without.err()).isZero();
        assertThat(Files.readAllLines(jdk)).noneMatch(l -> l.contains("libdistrolix-isal.so"))
                .anyMatch(l -> l.contains("dev.distrolix.blob.RawInflater$Jdk "));
        assertThat(withIsal.out()).contains("\"files\"").isEqualTo(without.out());
    }

    /**
     * Digests are OpenSSL's through distrolix's library where bin/distrolix names it (and the build then runs on
     * C1 alone), the JDK's where it names none; the image is the same either way.
     */
    @Test
    void digestsAreOpenSslsWhereTheLibraryIsAndTheImageIsTheSame() throws Exception {
        // one log per JVM (%p): a run that makes the start-up archive starts the JVM again to write it
        Path logs = Files.createDirectories(tmp.resolve("plain"));
        Fixtures.Exit ours = launch(tmp.resolve("sha-plain"), "JAVA_TOOL_OPTIONS",
                "-Xlog:class+load=info,library=info:file=" + logs + "/%p.log");
        assertThat(ours.code()).as(ours.err()).isZero();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                List<String> one = Files.readAllLines(f);
                if (one.stream().anyMatch(l -> l.contains("dev.distrolix.cli.Distrolix "))) {
                    lines = one; // the JVM that ran the build
                }
            }
        }
        // (the class Sha256Jni is loaded either way: the verifier loads it to check Digest)
        assertThat(lines).anyMatch(l -> l.contains("Loaded library") && l.contains("/libdistrolix-crypto.so"));
        Path jdk = tmp.resolve("jdk.log");
        Fixtures.Exit theirs = launch(tmp.resolve("sha-jdk"), "DISTROLIX_JAVA_OPTS",
                "-Ddistrolix.crypto.jni= -Xlog:class+load=info,library=info:file=" + jdk);
        assertThat(theirs.code()).as(theirs.err()).isZero();
        assertThat(Files.readAllLines(jdk)).noneMatch(l -> l.contains("libdistrolix-crypto.so"));
        assertThat(ours.out()).startsWith("sha256:").isEqualTo(theirs.out());
    }

    /**
     * A --locked build from a real signed xz cache decodes its NARs with liblzma and checks their signatures with
     * OpenSSL, through distrolix's libraries where bin/distrolix names them (and on C1 alone), in Java where it
     * names none: the image of the local-store build either way.
     */
    @Test
    void lockedBuildsDecodeAndVerifyNativelyForTheLocalStoresImage() throws Exception {
        SignedCache c = SignedCache.get();
        Path spec = c.specCopy("launcher-native");
        assertThat(c.lock(spec, "xz").exitCode()).isZero();
        List<String> args = List.of("build", spec.toString(), "--locked", "--no-cache", "-q", "-o",
                "oci:" + tmp.resolve("native-xz"));
        Path logs = Files.createDirectories(tmp.resolve("native-logs"));
        Fixtures.Exit ours = run(args, "JAVA_TOOL_OPTIONS", "-Xlog:library=info:file=" + logs + "/%p.log");
        assertThat(ours.code()).as(ours.err()).isZero();
        assertThat(ours.out().strip()).isEqualTo(c.localDigest);
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        assertThat(lines).anyMatch(l -> l.contains("Loaded library") && l.contains("/libdistrolix-xz.so"))
                .anyMatch(l -> l.contains("Loaded library") && l.contains("/libdistrolix-crypto.so"));
        Path jdkLog = tmp.resolve("java-decoders.log");
        Fixtures.Exit theirs = run(List.of("build", spec.toString(), "--locked", "--no-cache", "-q", "-o",
                "oci:" + tmp.resolve("java-xz")), "DISTROLIX_JAVA_OPTS",
                "-Ddistrolix.xz.jni= -Ddistrolix.crypto.jni= -Xlog:library=info:file=" + jdkLog);
        assertThat(theirs.code()).as(theirs.err()).isZero();
        assertThat(theirs.out().strip()).isEqualTo(c.localDigest);
        assertThat(Files.readAllLines(jdkLog)).noneMatch(l -> l.contains("libdistrolix-xz.so"))
                .noneMatch(l -> l.contains("libdistrolix-crypto.so"));
    }

    /**
     * Builds (from a lock too: xz NARs and their signatures are native; signing ones: scrypt is native), copies and
     * the version run on C1 alone (their heavy work is native); inspect and the other analyses, and lock keep C2.
     * Pushes and copies have C1 inline less.
     * Seen by a stand-in java that prints its arguments.
     */
    @Test
    void onlyRunsWhoseWorkIsNativeRunOnC1Alone() throws Exception {
        Path java = tmp.resolve("java");
        Fixtures.script(java, "echo \"$@\"");
        for (String line : List.of("build a.yaml", "build a.yaml -o docker://r.example/a:1", "copy oci:a oci:b",
                "--version", "build a.yaml --sign-key k", "build a.yaml --sign-key k -o docker://r.example/a:1",
                "build a.yaml --locked", "inspect oci:a", "sbom oci:a",
                "lock a.yaml", "copy -q oci:a docker://r.example/a:1", "copy --platform linux/arm64 docker://r.example/a:1 oci:b",
                "copy docker://r.example/a:1 docker://r.example/b:1", "inspect docker://r.example/a:1",
                "sign oci:a --key k")) {
            boolean c1 = line.startsWith("build") || line.startsWith("copy") || line.equals("--version");
            Fixtures.Exit run = run(List.of(line.split(" ")), "DISTROLIX_JAVA", java.toString(),
                    "DISTROLIX_CACHE_DIR", tmp.resolve("no-cache-yet").toString());
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).as(line).contains("-Ddistrolix.crypto.jni=").contains("-Ddistrolix.xz.jni=")
                    .contains("dev.distrolix.cli.Distrolix " + line);
            assertThat(run.out().contains("-XX:TieredStopAtLevel=1")).as(line).isEqualTo(c1);
            // and runs that push (signing ones too) or copy have C1 inline less (cheaper compiles in a short run)
            boolean registry = line.startsWith("build") && line.contains("docker://") || line.startsWith("copy");
            assertThat(run.out().contains("-XX:C1MaxInlineSize=20 -XX:C1MaxInlineLevel=4")).as(line).isEqualTo(registry);
            // each is the first of its kind for this java: it records, and names the training (ArchiveTraining)
            boolean records = run.out().contains("-XX:ArchiveClassesAtExit=") || run.out().contains("-XX:AOTMode=record");
            assertThat(records).as(line).isTrue();
            // named with its kind: a build to a registry from an empty layer cache reads back a first push
            String kind = switch (line) {
                case "build a.yaml" -> "-local";
                case "build a.yaml -o docker://r.example/a:1" -> "-fetch";
                case "build a.yaml --locked" -> "-bincache";
                case "--version" -> "-top";
                // a copy's kind says which side is a registry; an analysis's whether its image is in one
                case "copy -q oci:a docker://r.example/a:1" -> "-copy-push";
                case "copy --platform linux/arm64 docker://r.example/a:1 oci:b" -> "-copy-pull";
                case "copy docker://r.example/a:1 docker://r.example/b:1" -> "-copy-remote";
                case "inspect docker://r.example/a:1" -> "-inspect-remote";
                case "sign oci:a --key k" -> "-sign-image"; // not a signing build's archive
                default -> line.contains("--sign-key") ? "-sign" : "-" + line.split(" ")[0];
            };
            assertThat(run.out()).as(line).contains("-Ddistrolix.launcher.training=" + kind + " ");
        }
    }

    @Test
    void theFirstRunMakesTheArchiveQuietlyAndTheNextUsesIt() throws Exception {
        Path target = deleteArchives("distrolix(-[a-z]+)*\\.(aot|jsa).*");
        Fixtures.Exit plain = launch(tmp.resolve("plain"), "DISTROLIX_CDS", "off");
        assertThat(plain.code()).as(plain.err()).isZero();
        String digest = plain.out().strip();
        assertThat(digest).startsWith("sha256:");

        Fixtures.Exit first = launch(tmp.resolve("first"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(digest + "\n");
        assertThat(first.err()).isEmpty();
        Path stamp = null;
        for (int i = 0; i < 300 && stamp == null; i++) { // an AOT cache is made in the background: ~2 s
            for (String name : new String[] {"distrolix.aot.stamp", "distrolix.jsa.stamp"}) {
                if (Files.exists(target.resolve(name))) {
                    stamp = target.resolve(name);
                }
            }
            Thread.sleep(100);
        }
        assertThat(stamp).as("an archive was made").isNotNull();
        Path archive = target.resolve(stamp.getFileName().toString().replace(".stamp", ""));
        assertThat(Files.readString(stamp).split(" ")[0]).isEqualTo(Long.toString(Files.size(archive)));
        // the stamp names the options the JVM ran with: huge pages asked for where the kernel gives them on request
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean onRequest = Files.isReadable(thp) && Files.readString(thp).contains("[madvise]");
        assertThat(Files.readString(stamp).contains("-XX:+UseTransparentHugePages")).as(Files.readString(stamp))
                .isEqualTo(onRequest);

        var made = Files.getLastModifiedTime(archive);
        Fixtures.Exit second = launch(tmp.resolve("second"));
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(digest + "\n");
        assertThat(second.err()).isEmpty();
        Thread.sleep(500); // a maker would have started by now
        assertThat(Files.getLastModifiedTime(archive)).as("used, not made again").isEqualTo(made);
        assertThat(target.resolve(archive.getFileName() + ".making")).doesNotExist();

        // a run with options of its own (DISTROLIX_JAVA_OPTS) neither uses the archive (made under others: the JVM
        // would refuse it) nor makes one (every ordinary run after it would then start without one)
        String stampBefore = Files.readString(stamp);
        Fixtures.Exit other = launch(tmp.resolve("other"), "DISTROLIX_JAVA_OPTS", "-XX:+UseSerialGC -Xmn48m");
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(other.out()).isEqualTo(digest + "\n");
        Thread.sleep(500);
        assertThat(Files.readString(stamp)).isEqualTo(stampBefore).contains("-Xmn32m");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        // an archive whose stamp names other options (as one made by an older launcher under them) is made again
        Files.writeString(stamp, stampBefore.replace("-Xmn32m", "-Xmn48m"));
        Fixtures.Exit back = launch(tmp.resolve("back"));
        assertThat(back.code()).as(back.err()).isZero();
        assertThat(back.err()).isEmpty();
        assertThat(stampOnceItSays(stamp, "-Xmn32m")).doesNotContain("-Xmn48m");

        // a signing build makes an archive of its own and leaves the others' as it is: BouncyCastle's and the SBOM's
        // classes would otherwise be loaded at the start of every command
        stampBefore = Files.readString(stamp);
        made = Files.getLastModifiedTime(archive);
        Path key = tmp.resolve("cosign.key");
        PrivateKeyFile.write(key, (ECPrivateKey) CosignKeys.generate().getPrivate(), "pw".toCharArray(), false);
        Fixtures.Exit signed = launch("oci:" + tmp.resolve("signed"), List.of("--sign-key", key.toString()),
                "COSIGN_PASSWORD", "pw");
        assertThat(signed.out()).isEqualTo(digest + "\n");
        madeItsOwn(signed, stamp, "sign", 8, stampBefore);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);

        // so does every other command (here inspect), and a run that names none (--version)
        Fixtures.Exit inspect = run(List.of("inspect", "oci:" + tmp.resolve("first")));
        assertThat(inspect.out()).contains(digest);
        assertThat(inspect.err()).isEmpty();
        madeItsOwn(inspect, stamp, "inspect", 0, stampBefore);
        Fixtures.Exit version = run(List.of("--version"));
        assertThat(version.out()).startsWith("distrolix ");
        madeItsOwn(version, stamp, "top", 0, stampBefore);
        // the help (every command's options) has its own, or each later --version would load what it loaded
        Path top = stamp.resolveSibling(stamp.getFileName().toString().replace("distrolix.", "distrolix-top."));
        String topBefore = Files.readString(top);
        Fixtures.Exit help = run(List.of("--help"));
        assertThat(help.out()).contains("Usage: distrolix");
        madeItsOwn(help, stamp, "help", 0, stampBefore);
        assertThat(Files.readString(top)).isEqualTo(topBefore);
        Fixtures.Exit again = run(List.of("inspect", "oci:" + tmp.resolve("first")));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(inspect.out());

        // and a build that pushes: the HTTP client's classes stay out of the archive of builds to a folder
        try (RegistryServer registry = RegistryServer.in(tmp.resolve("registry")).start()) {
            Fixtures.Exit push = launch("docker://" + registry.address() + "/launcher:1", List.of("--insecure"));
            assertThat(push.out()).isEqualTo(digest + "\n");
            madeItsOwn(push, stamp, "push", 6, stampBefore);
            // a push from an empty layer cache (a fresh runner) takes the registry's layers: an archive of its own
            Path pushStamp = stamp.resolveSibling(stamp.getFileName().toString().replace("distrolix.", "distrolix-push."));
            String pushBefore = Files.readString(pushStamp);
            List<String> args = new ArrayList<>(List.of("build", "examples/nginx/image.yaml", "-I",
                    "nixpkgs=" + Fixtures.debianPackageSet(), "--cache-dir", tmp.resolve("fresh-runner").toString(), "-q",
                    "-o", "docker://" + registry.address() + "/launcher:1", "--insecure"));
            Fixtures.Exit fresh = run(args);
            assertThat(fresh.out()).isEqualTo(digest + "\n");
            madeItsOwn(fresh, stamp, "fetch", 6, stampBefore);
            assertThat(Files.readString(pushStamp)).isEqualTo(pushBefore);
        }
        // a build from a lock beside its spec reads the lock instead of asking Nix: other classes, an archive of its own
        SignedCache c = SignedCache.get();
        Path lockedSpec = c.specCopy("launcher-locked");
        assertThat(c.lock(lockedSpec, "zstd").exitCode()).isZero();
        Fixtures.Exit locked = run(List.of("build", lockedSpec.toString(), "--no-cache", "-q", "-o",
                "oci:" + tmp.resolve("locked")));
        assertThat(locked.out()).as(locked.err()).startsWith("sha256:");
        madeItsOwn(locked, stamp, "locked", 4, stampBefore);
        // --no-lock evaluates: the build's archive again
        Fixtures.Exit unlocked = run(List.of("build", lockedSpec.toString(), "--no-lock", "-I",
                "nixpkgs=" + Fixtures.debianPackageSet(), "--no-cache", "-q", "-o", "oci:" + tmp.resolve("unlocked")));
        assertThat(unlocked.code()).as(unlocked.err()).isZero();
        assertThat(Files.readString(stamp)).isEqualTo(stampBefore);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        // --locked to a folder reads the lock's binary caches, no registry: not the push archive, one of its own
        Path pushLocked = stamp.resolveSibling(stamp.getFileName().toString().replace("distrolix.", "distrolix-push-locked."));
        Fixtures.Exit fromCaches = run(List.of("build", lockedSpec.toString(), "--locked", "--no-cache", "-q", "-o",
                "oci:" + tmp.resolve("from-caches")));
        assertThat(fromCaches.out()).isEqualTo(locked.out());
        madeItsOwn(fromCaches, stamp, "bincache-locked", 6, stampBefore);
        assertThat(pushLocked).doesNotExist();

        // the first build from a warm layer cache makes the build's archive again (the builds after it are like it),
        // and a cold one after it does not
        List<String> warmArgs = List.of("build", "examples/nginx/image.yaml", "-I", "nixpkgs=" + Fixtures.debianPackageSet(),
                "--cache-dir", tmp.resolve("layers").toString(), "-q", "-o", "oci:" + tmp.resolve("warm"));
        Path making = target.resolve(archive.getFileName() + ".making");
        Fixtures.Exit filling = run(warmArgs);
        assertThat(filling.out()).isEqualTo(digest + "\n");
        // a run that records leaves its maker's marker before it exits (and a JDK 17 one has replaced the archive)
        assertThat(making).as("an empty cache is a cold one: no record").doesNotExist();
        assertThat(Files.readString(stamp)).isEqualTo(stampBefore);
        // ... but this one made no layer (each came from the cache: an unchanged rebuild), so its archive lacks the
        // code that makes one, which a build after an edit loads: scored one below a warm build, so that the next
        // warm build records again; at most twice (ARCHIVE.partials counts), then kept as it is
        Path partials = target.resolve(archive.getFileName() + ".partials");
        for (int n = 1; n <= 3; n++) {
            var before = Files.getLastModifiedTime(archive);
            Fixtures.Exit warm = run(warmArgs);
            assertThat(warm.out()).isEqualTo(digest + "\n");
            assertThat(warm.err()).isEmpty();
            for (int i = 0; i < 300 && (Files.getLastModifiedTime(archive).equals(before) || Files.exists(making)); i++) {
                Thread.sleep(100);
            }
            assertThat(Files.getLastModifiedTime(archive)).as("made again by warm build " + n).isNotEqualTo(before);
            assertThat(Files.readString(stamp)).as("warm build " + n).endsWith(n < 3 ? " 4\n" : " 5\n");
            assertThat(Files.readString(partials).strip()).isEqualTo(Integer.toString(Math.min(n, 2)));
            assertThat(target.resolve(archive.getFileName() + ".partial")).doesNotExist();
        }
        String warmStamp = Files.readString(stamp);
        var remade = Files.getLastModifiedTime(archive);
        Fixtures.Exit warmAgain = run(warmArgs);
        assertThat(warmAgain.out()).isEqualTo(digest + "\n");
        assertThat(making).as("no record").doesNotExist();
        for (int i = 0; i < 100 && Files.exists(making); i++) { // the maker removes it just after the stamp
            Thread.sleep(100);
        }
        assertThat(making).doesNotExist();
        Fixtures.Exit cold = launch(tmp.resolve("cold-again"));
        assertThat(cold.out()).isEqualTo(digest + "\n");
        assertThat(making).as("no record").doesNotExist();
        assertThat(Files.readString(stamp)).isEqualTo(warmStamp);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(remade);
    }

    /**
     * Where a step's leftover processes are killed when it ends (a container build's RUN, a CI runner), the maker
     * in the background dies and leaves its marker and record: the next run that finds them older than a minute
     * removes them and makes the archive before it exits, rather than recording again at every run.
     */
    @Test
    void aRunAfterAKilledMakerMakesTheArchiveBeforeItExits() throws Exception {
        Path target = Fixtures.repo().resolve("distrolix-cli/target");
        List<Path> left = new ArrayList<>();
        for (String ext : new String[] {"aot", "jsa"}) {
            Path archive = target.resolve("distrolix-top." + ext);
            Files.deleteIfExists(archive);
            Files.deleteIfExists(target.resolve(archive.getFileName() + ".stamp"));
            // a run of this kind that failed while recording (a wrong top-level option) would hold recording off
            Files.deleteIfExists(target.resolve(archive.getFileName() + ".failed"));
            left.add(Files.write(target.resolve(archive.getFileName() + ".making"), new byte[0]));
            left.add(Files.write(target.resolve(archive.getFileName() + ".Ab12Cd.conf"), new byte[1 << 20]));
            left.add(Files.write(target.resolve(archive.getFileName() + ".Zz98Yy"), new byte[100]));
        }
        var killedAt = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 5 * 60_000);
        for (Path p : left) {
            Files.setLastModifiedTime(p, killedAt);
        }
        try {
            Fixtures.Exit version = run(List.of("--version"));
            assertThat(version.code()).as(version.err()).isZero();
            assertThat(version.out()).startsWith("distrolix ");
            assertThat(version.err()).isEmpty();
            // at once, not in the background: the JVM in use (Java 25+ or 17) made its archive, and its stamp says so
            Path aot = target.resolve("distrolix-top.aot.stamp");
            Path stamp = Files.exists(aot) ? aot : target.resolve("distrolix-top.jsa.stamp");
            assertThat(stamp).exists();
            Path archive = target.resolve(stamp.getFileName().toString().replace(".stamp", ""));
            assertThat(Files.readString(stamp)).startsWith(Files.size(archive) + " ").endsWith(" 0\n");
            // the killed maker's files are gone
            for (Path p : left) {
                if (p.toString().contains(archive.getFileName().toString() + ".")) {
                    assertThat(p).as("left by the killed maker").doesNotExist();
                }
            }
            try (Stream<Path> s = Files.list(target)) {
                assertThat(s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(archive.getFileName() + ".")))
                        .containsExactly(stamp.getFileName().toString());
            }
        } finally {
            for (Path p : left) {
                Files.deleteIfExists(p); // whatever is left, and the other JVM's kind (untouched by the run)
            }
        }
    }

    /**
     * A recording run costs ~1 s, and one that fails keeps nothing: it leaves a marker, and the runs of its kind after
     * it start without recording (a second failure does not touch the marker) until one runs through, which removes
     * it without making an archive; the run after that records and makes one.
     */
    @Test
    void aFailedRecordingRunLeavesTheRunsAfterItUnrecordedUntilOneRunsThrough() throws Exception {
        Path target = deleteArchives("distrolix-cache\\.(aot|jsa).*");
        String dir = tmp.resolve("cache").toString();
        List<String> bad = List.of("cache", "prune", "--older-than", "xyz", "--cache-dir", dir);
        List<String> good = List.of("cache", "du", "--cache-dir", dir);

        Fixtures.Exit first = run(bad);
        assertThat(first.code()).as(first.err()).isEqualTo(3);
        assertThat(first.err()).contains("--older-than");
        Path failed = Files.exists(target.resolve("distrolix-cache.aot.failed"))
                ? target.resolve("distrolix-cache.aot.failed") : target.resolve("distrolix-cache.jsa.failed");
        assertThat(failed).as("the failed recording's marker").exists();
        Path archive = target.resolve(failed.getFileName().toString().replace(".failed", ""));
        assertThat(archive).doesNotExist();

        var marked = java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(target.resolve("distrolix.jar")).toMillis() + 1000);
        Files.setLastModifiedTime(failed, marked);
        Fixtures.Exit second = run(bad);
        assertThat(second.code()).isEqualTo(3);
        assertThat(second.err()).isEqualTo(first.err());
        assertThat(Files.getLastModifiedTime(failed)).as("not recorded again").isEqualTo(marked);

        Fixtures.Exit through = run(good);
        assertThat(through.code()).as(through.err()).isZero();
        assertThat(through.out()).contains("0 layers");
        assertThat(failed).doesNotExist();
        Thread.sleep(1000); // a maker would have started by now
        assertThat(archive).as("a run without recording makes no archive").doesNotExist();
        assertThat(target.resolve(archive.getFileName() + ".making")).doesNotExist();

        Fixtures.Exit recorded = run(good);
        assertThat(recorded.code()).as(recorded.err()).isZero();
        assertThat(recorded.out()).isEqualTo(through.out());
        Path stamp = target.resolve(archive.getFileName() + ".stamp");
        assertThat(stampOnceItSays(stamp, "-Xmn32m")).as("the cache archive was made").endsWith(" 0\n");
        assertThat(archive).exists();
    }

    /** Deletes the launcher's files in distrolix-cli/target whose names match {@code names}; returns that folder. */
    static Path deleteArchives(String names) throws java.io.IOException {
        Path target = Fixtures.repo().resolve("distrolix-cli/target");
        try (Stream<Path> s = Files.list(target)) {
            for (Path p : s.filter(f -> f.getFileName().toString().matches(names)).toList()) {
                Files.deleteIfExists(p); // a maker left by another run may remove its own files first
            }
        }
        return target;
    }

    /**
     * {@code run} succeeded and made the archive of its {@code kind}, trained with {@code score}, while the
     * build's archive (its {@code stamp}) stayed as it was.
     */
    static void madeItsOwn(Fixtures.Exit run, Path stamp, String kind, int score, String stampBefore)
            throws Exception {
        assertThat(run.code()).as(run.err()).isZero();
        Path own = stamp.resolveSibling(stamp.getFileName().toString().replace("distrolix.", "distrolix-" + kind + "."));
        assertThat(stampOnceItSays(own, "-Xmn32m")).as("the " + kind + " archive was made").endsWith(" " + score + "\n");
        assertThat(Files.readString(stamp)).isEqualTo(stampBefore);
    }

    /** The stamp, once the archive made in the background says {@code what} (within 30 s). */
    static String stampOnceItSays(Path stamp, String what) throws Exception {
        for (int i = 0; i < 300; i++) {
            String s = Files.exists(stamp) ? Files.readString(stamp) : "";
            if (s.contains(what)) {
                return s;
            }
            Thread.sleep(100);
        }
        return Files.exists(stamp) ? Files.readString(stamp) : "(no stamp)";
    }
}
