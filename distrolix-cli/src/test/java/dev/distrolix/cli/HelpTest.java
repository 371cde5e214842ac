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
    void theCommandListGivesEachCommandOneWholeSentence() {
        Cli root = Cli.run("--help");
        assertThat(root.exitCode()).isZero();
        CommandLine cl = new CommandLine(new Distrolix());
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
        assertThat(cache.out().lines().filter(l -> l.matches("  (du|prune) .*"))).hasSize(2).allMatch(l -> l.endsWith("."));
    }

    @Test
    void noHelpLineIsWiderThanTheWidth() {
        List<List<String>> all = commands(new CommandLine(new Distrolix()), List.of());
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
