package dev.distrolix.cli;

import static dev.distrolix.testing.FaultProxy.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.FaultProxy;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build to a registry asks the registry while it loads the spec and while Nix resolves the
 * packages. It must read as if the steps ran one after the other: a registry failure is the
 * error even when Nix fails too, a Nix failure is reported when the registry is fine, and a
 * registry that fails while Nix still builds stops that build at once.
 */
@IntegrationTest
class RegistryBuildOrderTest {
    @TempDir
    static Path shared;
    static RegistryServer registry;
    static RegistryServer locked;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.in(shared.resolve("registry")).start();
        locked = RegistryServer.in(shared.resolve("locked")).htpasswd("alice", "wonderland").start();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        locked.close();
    }

    Path spec(String packageName) throws IOException {
        Path f = Files.createDirectories(tmp.resolve("spec")).resolve("image.yaml");
        Files.writeString(f, "name: order\npackages:\n  - " + packageName + "\n");
        return f;
    }

    /** Fresh JVM and empty home: no credentials from this machine's files. */
    Cli build(Path spec, String include, String target) {
        return CliProcess.run(Map.of("HOME", tmp.resolve("home").toString(), "NIX_CONFIG", "substituters ="), tmp,
                "build", spec.toString(), "-q", "-I", include, "--no-cache", "-o", target);
    }

    static boolean builderRunning(String marker) {
        return Fixtures.exec(new ProcessBuilder("pgrep", "-f", marker)).code() == 0;
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void assertOneLine(Cli r, int exit, String message) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("distrolix: ").contains(message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnreachableRegistryIsTheErrorEvenWhenNixFailsToo() throws Exception {
        Cli r = build(spec("nosuchpackage"), "nixpkgs=" + Fixtures.debianPackageSet(),
                "docker://127.0.0.1:" + RegistryServer.freePort() + "/app:1");
        assertOneLine(r, 1, ": connecting to https://127.0.0.1:");
    }

    @Test
    void aNixFailureIsTheErrorWhenTheRegistryAnswers() throws Exception {
        Cli r = build(spec("nosuchpackage"), "nixpkgs=" + Fixtures.debianPackageSet(),
                "docker://" + registry.address() + "/order:1");
        assertOneLine(r, 3, "attribute 'nosuchpackage' not found in");
        assertThat(registry.countRequests("\"(PUT|POST|PATCH) ")).as("nothing pushed").isZero();
    }

    @Test
    void aRegistryFailingWhileNixBuildsStopsTheBuild() throws Exception {
        // a package whose build takes 60 s, and a registry that refuses us after 1.5 s
        String marker = "distrolix-order-" + UUID.randomUUID();
        Path pkgs = Files.createDirectories(tmp.resolve("pkgs"));
        Files.writeString(pkgs.resolve("default.nix"), "{ slow = builtins.derivation { name = \"slow\";"
                + " system = builtins.currentSystem; builder = \"/bin/sh\";"
                + " args = [ \"-c\" \"/bin/sleep 60; echo " + marker + " > $out\" ]; }; }\n");
        AtomicBoolean builderSeen = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread watch = new Thread(() -> {
            while (!done.get() && !builderSeen.get()) {
                builderSeen.set(builderRunning(marker));
                sleepQuietly(100);
            }
        });
        try (FaultProxy proxy = FaultProxy.start(locked.port())) {
            proxy.inject(method("GET", "^/v2/$"), new FaultProxy.Fault.Delay(1_500), 1);
            watch.start();
            long t0 = System.nanoTime();
            Cli r = build(spec("slow"), "nixpkgs=" + pkgs, "docker://" + proxy.address() + "/order:1");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            done.set(true);
            watch.join();
            assertOneLine(r, 1, "unauthorized: no credentials for " + proxy.address());
            assertThat(builderSeen).as("Nix was building while the registry answered").isTrue();
            assertThat(ms).as("ms until the error").isLessThan(20_000);
            assertThat(builderRunning(marker)).as("no builder left running").isFalse();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(Set.of("spec", "pkgs", "home")::contains);
        }
    }
}
