package dev.distrolix.inspect.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import dev.distrolix.testing.Trials;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The glob matcher of ignore rules agrees with java.nio's {@code glob:} PathMatcher (the regex-based
 * one it replaces) on random globs and paths, and takes linear time where a regex backtracks.
 */
class GlobPropertyTest {
    @Test
    void agreesWithJavaNioGlobs() {
        Trials.forAll(3000, r -> new String[] {glob(r), path(r)}, gp -> {
            boolean expected = FileSystems.getDefault().getPathMatcher("glob:" + gp[0]).matches(Path.of(gp[1]));
            assertThat(Glob.parse(gp[0]).matches(gp[1])).as("glob %s on %s", gp[0], gp[1]).isEqualTo(expected);
        });
    }

    @Test
    void aGlobMadeFromAPathMatchesIt() {
        Trials.forAll(1000, GlobPropertyTest::path, path -> {
            assertThat(Glob.parse(path).matches(path)).isTrue();
            assertThat(Glob.parse("**").matches(path)).isTrue();
        });
    }

    static String glob(SplittableRandom r) {
        String g;
        do {
            g = Trials.joined(r, 0, 7, "a", "b", "/", "*", "**", "?", "[ab]", "[!a]", "[a-b]", ".", "{a,b}", "{a*,/b}",
                    "{,a}", "\\*");
        } while (g.chars().filter(c -> c == '{').count() > 2);
        return g;
    }

    /** Normalised absolute or relative paths (Path.of would normalise others). */
    static String path(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(Trials.oneOf(r, "", "/"));
        int segments = 1 + r.nextInt(4);
        for (int i = 0; i < segments; i++) {
            sb.append(i == 0 ? "" : "/").append(Trials.joined(r, 1, 4, "a", "b", ".", "*"));
        }
        return sb.toString();
    }

    @Test
    void pathologicalGlobsTakeLinearTime() {
        String glob = "a*".repeat(40) + "b";
        String path = "a".repeat(100_000);
        long start = System.nanoTime();
        assertThat(Glob.parse(glob).matches(path)).isFalse();
        assertThat(Glob.parse("**a**a**a**a**a**a**a**a**a**a**b").matches("/a".repeat(50_000))).isFalse();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("took %s", took).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void auditSyntaxExamples() {
        assertThat(Glob.parse("/nix/store/*-busybox-*/bin/**").matches("/nix/store/abc-busybox-1.36/bin/sh")).isTrue();
        assertThat(Glob.parse("/nix/store/*-busybox-*/bin/**").matches("/nix/store/a/b-busybox-1/bin/sh")).isFalse();
        assertThat(Glob.parse("/usr/bin/perl*").matches("/usr/bin/perl5.36")).isTrue();
        assertThat(Glob.parse("/usr/bin/perl*").matches("/usr/bin/perl/x")).isFalse();
        assertThat(Glob.parse("/etc/{passwd,group}").matches("/etc/group")).isTrue();
    }

    @Test
    void brokenGlobsAreOneLineInputErrors() {
        for (String bad : List.of("[ab", "{a,b", "{a,{b}}", "a\\", "[a/b]")) {
            assertThatThrownBy(() -> Glob.parse(bad)).as(bad).isInstanceOf(InputException.class);
        }
    }

    @Test
    void ignoreRulesUseTheGlobsAndRefuseBrokenOnes() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("glob-policy");
        java.nio.file.Path good = dir.resolve("good.yaml");
        java.nio.file.Files.writeString(good, "ignore:\n  - path: /nix/store/*-busybox-*/bin/**\n");
        AuditPolicy.Ignore rule = AuditPolicy.load(good).ignores().get(0);
        assertThat(rule.matchesPath("/nix/store/abc-busybox-1.36/bin/sh")).isTrue();
        assertThat(rule.matchesPath("/nix/store/abc-bash-5/bin/sh")).isFalse();
        java.nio.file.Path bad = dir.resolve("bad.yaml");
        java.nio.file.Files.writeString(bad, "ignore:\n  - path: /usr/[bin\n");
        assertThatThrownBy(() -> AuditPolicy.load(bad)).isInstanceOf(InputException.class)
                .hasMessageContaining("path: not a glob (missing ']' in '/usr/[bin')");
    }
}
