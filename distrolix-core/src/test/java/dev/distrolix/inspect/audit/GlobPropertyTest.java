package dev.distrolix.inspect.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The glob matcher of ignore rules agrees with java.nio's {@code glob:} PathMatcher (the regex-based
 * one it replaces) on random globs and paths, and takes linear time where a regex backtracks.
 */
class GlobPropertyTest {
    @Property(tries = 3000)
    void agreesWithJavaNioGlobs(@ForAll("globs") String glob, @ForAll("paths") String path) {
        boolean expected = FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path));
        assertThat(Glob.parse(glob).matches(path)).as("glob %s on %s", glob, path).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void aGlobMadeFromAPathMatchesIt(@ForAll("paths") String path) {
        assertThat(Glob.parse(path).matches(path)).isTrue();
        assertThat(Glob.parse("**").matches(path)).isTrue();
    }

    @Provide
    Arbitrary<String> globs() {
        Arbitrary<String> token = Arbitraries.of("a", "b", "/", "*", "**", "?", "[ab]", "[!a]", "[a-b]", ".",
                "{a,b}", "{a*,/b}", "{,a}", "\\*");
        return token.list().ofMinSize(0).ofMaxSize(7).map(l -> String.join("", l))
                .filter(g -> g.chars().filter(c -> c == '{').count() <= 2);
    }

    @Provide
    Arbitrary<String> paths() {
        // normalised absolute or relative paths (Path.of would normalise others)
        Arbitrary<String> segment = Arbitraries.strings().withChars("ab.*").ofMinLength(1).ofMaxLength(4);
        return Combinators.combine(Arbitraries.of("", "/"), segment.list().ofMinSize(1).ofMaxSize(4))
                .as((root, segs) -> root + String.join("/", segs));
    }

    @Example
    void pathologicalGlobsTakeLinearTime() {
        String glob = "a*".repeat(40) + "b";
        String path = "a".repeat(100_000);
        long start = System.nanoTime();
        assertThat(Glob.parse(glob).matches(path)).isFalse();
        assertThat(Glob.parse("**a**a**a**a**a**a**a**a**a**a**b").matches("/a".repeat(50_000))).isFalse();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("took %s", took).isLessThan(Duration.ofSeconds(2));
    }

    @Example
    void auditSyntaxExamples() {
        assertThat(Glob.parse("/nix/store/*-busybox-*/bin/**").matches("/nix/store/abc-busybox-1.36/bin/sh")).isTrue();
        assertThat(Glob.parse("/nix/store/*-busybox-*/bin/**").matches("/nix/store/a/b-busybox-1/bin/sh")).isFalse();
        assertThat(Glob.parse("/usr/bin/perl*").matches("/usr/bin/perl5.36")).isTrue();
        assertThat(Glob.parse("/usr/bin/perl*").matches("/usr/bin/perl/x")).isFalse();
        assertThat(Glob.parse("/etc/{passwd,group}").matches("/etc/group")).isTrue();
    }

    @Example
    void brokenGlobsAreOneLineInputErrors() {
        for (String bad : List.of("[ab", "{a,b", "{a,{b}}", "a\\", "[a/b]")) {
            assertThatThrownBy(() -> Glob.parse(bad)).as(bad).isInstanceOf(InputException.class);
        }
    }

    @Example
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
