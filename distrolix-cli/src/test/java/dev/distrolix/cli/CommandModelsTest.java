package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command models written at compile time ({@link CommandModels}) are the ones picocli reads from the
 * annotations by reflection: the same help, options and parameters with the same attributes, and the same
 * fields set by a parse.
 */
class CommandModelsTest {
    /** The whole command line both ways: picocli's reflection, and the generated models as a run builds them. */
    private static CommandLine reflected() {
        CommandLine cl = new CommandLine(new Distrolix());
        Distrolix.COMMANDS.forEach(cl::addSubcommand);
        return cl;
    }

    @Test
    void everyCommandHasTheModelPicocliReadsByReflection() {
        CommandLine reflected = reflected();
        CommandLine generated = Distrolix.commandLine();
        assertThat(generated.getCommandSpec().userObject()).isInstanceOf(Distrolix.class);
        List<String> compared = new ArrayList<>();
        compare(reflected, generated, compared);
        assertThat(compared).contains("distrolix", "distrolix build", "distrolix cache verify", "distrolix copy")
                .hasSizeGreaterThan(17);
    }

    private static void compare(CommandLine reflected, CommandLine generated, List<String> compared) {
        CommandSpec r = reflected.getCommandSpec();
        CommandSpec g = generated.getCommandSpec();
        String name = r.qualifiedName();
        compared.add(name);
        assertThat(g.qualifiedName()).isEqualTo(name);
        assertThat(usage(generated)).as(name + " --help").isEqualTo(usage(reflected));
        assertThat(g.mixins().keySet()).as(name + " mixins").containsExactlyElementsOf(r.mixins().keySet());
        assertThat(g.mixinStandardHelpOptions()).isEqualTo(r.mixinStandardHelpOptions());
        assertThat(describe(g.options())).as(name + " options").isEqualTo(describe(r.options()));
        assertThat(describe(g.positionalParameters())).as(name + " parameters").isEqualTo(describe(r.positionalParameters()));
        assertThat(g.usageMessage().exitCodeList()).isEqualTo(r.usageMessage().exitCodeList());
        assertThat(g.version()).isEqualTo(r.version());
        assertThat(g.subcommands().keySet()).as(name + " subcommands").containsExactlyElementsOf(r.subcommands().keySet());
        for (Map.Entry<String, CommandLine> sub : reflected.getSubcommands().entrySet()) {
            compare(sub.getValue(), generated.getSubcommands().get(sub.getKey()), compared);
        }
    }

    private static String usage(CommandLine cl) {
        cl.setUsageHelpWidth(Distrolix.HELP_WIDTH);
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w));
        return w.toString();
    }

    /** Every attribute of each option or parameter that parsing, the help or an error message reads. */
    private static List<String> describe(List<? extends ArgSpec> args) {
        List<String> out = new ArrayList<>();
        for (ArgSpec a : args) {
            StringBuilder b = new StringBuilder();
            if (a instanceof OptionSpec o) {
                b.append(Arrays.toString(o.names())).append(" usageHelp=").append(o.usageHelp())
                        .append(" versionHelp=").append(o.versionHelp()).append(" negatable=").append(o.negatable())
                        .append(" fallback=").append(o.fallbackValue()).append(" order=").append(o.order());
            } else {
                PositionalParamSpec p = (PositionalParamSpec) a;
                b.append("index=").append(p.index()).append(" unspecified=").append(p.index().isUnspecified());
            }
            b.append(" label=").append(a.paramLabel()).append(" hideSyntax=").append(a.hideParamSyntax())
                    .append(" arity=").append(a.arity()).append(" arityUnspecified=").append(a.arity().isUnspecified())
                    .append(" type=").append(a.type()).append(" aux=").append(Arrays.toString(a.auxiliaryTypes()))
                    .append(" multi=").append(a.isMultiValue()).append(" required=").append(a.required())
                    .append(" description=").append(Arrays.toString(a.description()))
                    .append(" key=").append(a.descriptionKey()).append(" default=").append(a.defaultValue())
                    .append(" showDefault=").append(a.showDefaultValue()).append(" scope=").append(a.scopeType())
                    .append(" inherited=").append(a.inherited()).append(" split=").append(a.splitRegex())
                    .append(" hidden=").append(a.hidden()).append(" interactive=").append(a.interactive())
                    .append(" converters=").append(Arrays.stream(a.converters()).map(c -> c.getClass().getName()).toList())
                    .append(" candidates=").append(a.completionCandidates());
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void aParseSetsTheSameFields() throws Exception {
        String[][] runs = {
            {"build", "x.yaml", "-o", "docker://h/r:1", "--platform", "linux/amd64,linux/arm64", "-I", "a=b", "-I", "c",
                "--max-layers", "7", "--no-cache", "--timeout", "90s", "--creds", "u:p", "--insecure", "--debug"},
            {"copy", "oci:a", "docker://h/b", "--timeout", "5m"},
            {"compare", "oci:a", "oci:b", "oci:c", "--platform", "linux/arm64"},
            {"keygen"},
            {"audit"},
            {"cache", "--cache-dir", "/tmp/c", "prune"},
        };
        for (String[] args : runs) {
            CommandLine.ParseResult r = reflected().parseArgs(args);
            CommandLine.ParseResult g = Distrolix.commandLine().parseArgs(args);
            List<Object> rs = userObjects(r);
            List<Object> gs = userObjects(g);
            assertThat(gs).hasSameSizeAs(rs);
            for (int i = 0; i < rs.size(); i++) {
                assertThat(fields(gs.get(i))).as(String.join(" ", args)).isEqualTo(fields(rs.get(i)));
            }
        }
    }

    private static List<Object> userObjects(CommandLine.ParseResult r) {
        List<Object> all = new ArrayList<>();
        for (CommandLine c : r.asCommandLineList()) {
            all.add(c.getCommandSpec().userObject());
        }
        return all;
    }

    /** The option, parameter and mixin fields' values (mixins by their own fields), by name. */
    private static String fields(Object o) throws IllegalAccessException {
        StringBuilder b = new StringBuilder(o.getClass().getSimpleName()).append(':');
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                    f.setAccessible(true);
                    Object v = f.get(o);
                    b.append(' ').append(f.getName()).append('=').append(v instanceof Object[] a ? Arrays.toString(a) : v);
                } else if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                    f.setAccessible(true);
                    b.append(' ').append(f.getName()).append("={").append(fields(f.get(o))).append('}');
                } else if (f.isAnnotationPresent(CommandLine.ParentCommand.class)) {
                    f.setAccessible(true);
                    Object p = f.get(o);
                    b.append(' ').append(f.getName()).append('=').append(p == null ? null : p.getClass().getSimpleName());
                }
            }
        }
        return b.toString();
    }
}
