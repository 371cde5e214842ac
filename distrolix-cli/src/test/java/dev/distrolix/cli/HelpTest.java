package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every help fits the configured width, and the command list gives each command one whole sentence. */
class HelpTest {
    /** "build", "cache du", ...: every command below the root. */
    private static List<List<String>> commands(CommandLine cl, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            all.add(p);
            all.addAll(commands(e.getValue(), p));
        }
        return all;
    }

    @Test
    void aRunMakesOnlyTheCommandItNames() {
        assertThat(Distrolix.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(Distrolix.COMMANDS.keySet());
        Distrolix.COMMANDS.forEach((name, type) -> assertThat(type.getAnnotation(CommandLine.Command.class).name())
                .as("the key is the command's own name").isEqualTo(name));
        assertThat(Distrolix.commandsFor("build", "x.yaml", "-o", "oci:o")).containsOnlyKeys("build");
        assertThat(Distrolix.commandsFor("--debug", "sbom", "oci:o")).containsOnlyKeys("sbom");
        assertThat(Distrolix.commandsFor("--version")).isEmpty();
        assertThat(Distrolix.commandsFor("help", "build")).isEqualTo(Distrolix.COMMANDS);
        assertThat(Distrolix.commandsFor("biuld")).isEqualTo(Distrolix.COMMANDS);
        assertThat(Distrolix.commandsFor()).isEqualTo(Distrolix.COMMANDS);
        assertThat(Distrolix.commandsFor("-h")).isEqualTo(Distrolix.COMMANDS);
        // what a run made that way does: the same as with every command there
        Cli debugOnSub = Cli.run("sbom", "--debug", "--help");
        assertThat(debugOnSub.exitCode()).isZero();
        assertThat(debugOnSub.out()).contains("Usage: distrolix sbom").contains("--debug");
        Cli typo = Cli.run("biuld");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("Unmatched argument at index 0: 'biuld'");
    }

    @Test
    void theCommandListGivesEachCommandOneWholeSentence() {
        Cli root = Cli.run("--help");
        assertThat(root.exitCode()).isZero();
        CommandLine cl = Distrolix.commandLine();
        assertThat(cl.getSubcommands()).containsKeys("build", "copy", "inspect", "audit", "compare", "diff", "sbom",
                "why", "debug", "cache");
        List<String> lines = root.out().lines().toList();
        for (String name : cl.getSubcommands().keySet()) {
            String line = lines.stream().filter(l -> l.startsWith("  " + name + " ")).findFirst().orElseThrow();
            assertThat(line).as("the list line of " + name).endsWith(".").matches("  " + name + " +[A-Z].*");
            String next = lines.get(lines.indexOf(line) + 1);
            assertThat(next).as("no continuation line after " + name).matches("  [a-z]+ .*|");
        }
        Cli cache = Cli.run("cache", "--help");
        assertThat(cache.out().lines().filter(l -> l.matches("  (du|verify|prune) .*"))).hasSize(3).allMatch(l -> l.endsWith("."));
    }

    @Test
    void noHelpLineIsWiderThanTheWidth() {
        List<List<String>> all = commands(Distrolix.commandLine(), List.of());
        all.add(0, List.of());
        assertThat(all).hasSizeGreaterThan(12);
        for (List<String> c : all) {
            List<String> args = new ArrayList<>(c);
            args.add("--help");
            Cli r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out().lines().count()).as(String.join(" ", args)).isGreaterThan(3);
            assertThat(r.out().lines()).as(String.join(" ", args))
                    .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Distrolix.HELP_WIDTH));
        }
        assertThat(Distrolix.HELP_WIDTH).isEqualTo(80);
    }
}
