package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a spare evaluation may answer, how its answer is read, and what its start depends on; no Nix here. */
class SpareEvaluationsTest {
    @TempDir
    Path dir;

    @Test
    void anEvaluationOfOutPathsBecomesOneExpressionOnTheSameSearchPath() {
        SpareEvaluations.Request r = SpareEvaluations.Request.of(List.of("--eval", "/src/pkgs",
                "-A", "web.type", "-A", "web.outPath", "-A", "a.b_c'-d.type", "-A", "a.b_c'-d.outPath",
                "-I", "nixpkgs=/src/pkgs", "-I", "relative")).orElseThrow();
        assertThat(r.search()).containsExactly("-I", "nixpkgs=/src/pkgs", "-I", "relative");
        assertThat(r.values()).isEqualTo(4);
        assertThat(r.expression()).contains("root = import (/. + \"/src/pkgs\");")
                .endsWith("in [ (str (get root [ \"web\" \"type\" ])) (str (get root [ \"web\" \"outPath\" ]))"
                        + " (str (get root [ \"a\" \"b_c'-d\" \"type\" ])) (str (get root [ \"a\" \"b_c'-d\" \"outPath\" ])) ]\n");
        assertThat(SpareEvaluations.Request.of(List.of("--eval", "<nixpkgs>", "-A", "hello.type")).orElseThrow()
                .expression()).contains("root = import (<nixpkgs>);");
    }

    @Test
    void whatAnExpressionCouldNotSayTheSameWayIsLeftToTheCommand() {
        List<List<String>> others = List.of(
                List.of("--eval", "/src/pkgs", "-A", "web.type", "--argstr", "tag", "a"), // Nix calls with it
                List.of("--eval", "/src/pkgs", "-A", "list.0.type"), // an index
                List.of("--eval", "/src/pkgs", "-A", "\"a.b\".type"), // quoted
                List.of("--eval", "/src/pkgs", "-A", "a..type"),
                List.of("--eval", "/src/pkgs", "-A", ""),
                List.of("--eval", "pkgs", "-A", "web.type"), // relative: Nix's folder
                List.of("--eval", "/src/my pkgs", "-A", "web.type"),
                List.of("--eval", "/src/$x/pkgs", "-A", "web.type"),
                List.of("--eval", "/src/../pkgs", "-A", "web.type"),
                List.of("--eval", "<nix pkgs>", "-A", "web.type"),
                List.of("--eval", "/src/pkgs", "-I", "x=/y", "-A", "web.type"), // not OutPathEvaluation's order
                List.of("--eval", "/src/pkgs", "-A"),
                List.of("--eval", "/src/pkgs"),
                List.of("--eval", "--expr", "builtins.currentSystem"),
                List.of("/src/pkgs", "-A", "web.type", "-A", "web.outPath"));
        for (List<String> args : others) {
            assertThat(SpareEvaluations.Request.of(args)).as(args.toString()).isEmpty();
        }
    }

    @Test
    void anAnswerIsTakenOnlyAsPlainStringsAsManyAsAsked() {
        assertThat(SpareEvaluations.printedList("[ \"derivation\" \"/nix/store/abc-x\" ]\n", 2))
                .containsExactly("\"derivation\"", "\"/nix/store/abc-x\"");
        assertThat(SpareEvaluations.printedList("[ \"derivation\" null ]\n", 2)).isNull(); // not a string
        assertThat(SpareEvaluations.printedList("[ \"derivation\" ]\n", 2)).isNull();
        assertThat(SpareEvaluations.printedList("[ \"a b\" \"c\" ]\n", 2)).isNull();
        assertThat(SpareEvaluations.printedList("[ \"a\\\"b\" \"c\" ]\n", 2)).isNull(); // escaped
        assertThat(SpareEvaluations.printedList("[ \"\\${x}\" \"c\" ]\n", 2)).isNull();
        assertThat(SpareEvaluations.printedList("[ \"a\"\n\"c\" ]\n", 2)).isNull();
        assertThat(SpareEvaluations.printedList("\"derivation\"\n", 1)).isNull();
        assertThat(SpareEvaluations.printedList("", 1)).isNull();
    }

    @Test
    void theStampChangesWithTheExecutableAndEverySettingsFileNixReads() throws IOException {
        Path exe = Files.writeString(dir.resolve("nix-instantiate"), "#!/bin/sh\n");
        Path conf = Files.createDirectories(dir.resolve("etc"));
        Path xdg = Files.createDirectories(dir.resolve("config/nix"));
        Path extra = Files.createDirectories(dir.resolve("xdg-dirs/nix"));
        Files.writeString(conf.resolve("nix.conf"), "include more.conf\n");
        Map<String, String> env = Map.of("NIX_CONF_DIR", conf.toString(), "HOME", dir.toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString(), "XDG_CONFIG_DIRS", dir.resolve("xdg-dirs").toString());
        String before = SpareEvaluations.stamp(exe.toString(), env);
        assertThat(before).isNotNull().isEqualTo(SpareEvaluations.stamp(exe.toString(), env));
        List<Path> changes = List.of(conf.resolve("more.conf"), xdg.resolve("nix.conf"), extra.resolve("nix.conf"), exe);
        String last = before;
        for (Path f : changes) {
            Files.writeString(f, "# " + f + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            String now = SpareEvaluations.stamp(exe.toString(), env);
            assertThat(now).as(f.toString()).isNotNull().isNotEqualTo(last);
            last = now;
        }
        // NIX_USER_CONF_FILES: those files instead of the XDG ones
        Path user = dir.resolve("user.conf");
        Map<String, String> withUser = new java.util.HashMap<>(env);
        withUser.put("NIX_USER_CONF_FILES", user.toString());
        String noUser = SpareEvaluations.stamp(exe.toString(), withUser);
        Files.writeString(user, "cores = 1\n");
        assertThat(SpareEvaluations.stamp(exe.toString(), withUser)).isNotEqualTo(noUser);
        // an include loop, a settings file Nix would refuse: no stamp, so no spare
        Files.writeString(conf.resolve("more.conf"), "include nix.conf\n");
        assertThat(SpareEvaluations.stamp(exe.toString(), env)).isNull();
        Files.writeString(conf.resolve("more.conf"), "x".repeat(2 << 20));
        assertThat(SpareEvaluations.stamp(exe.toString(), env)).isNull();
    }
}
