package dev.distrolix.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor writes a model for what it knows and refuses, with one error naming the member, whatever it does
 * not: a model that silently left an attribute out would differ from picocli's (distrolix-cli's CommandModelsTest
 * compares the real commands' models with picocli's).
 */
class CommandModelProcessorTest {
    @TempDir
    Path dir;

    private record Result(boolean ok, String errors, Path out) {
    }

    private Result compile(String source) throws Exception {
        Path src = dir.resolve("src/p/Cmd.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path out = Files.createDirectories(dir.resolve("out"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(new StringWriter(), files, diagnostics,
                    List.of("-proc:only", "-classpath", picocliJar(), "-s", out.toString(), "-d", out.toString()),
                    null, files.getJavaFileObjects(src.toFile()));
            task.setProcessors(List.of(new CommandModelProcessor()));
            boolean ok = task.call();
            StringBuilder errors = new StringBuilder();
            diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                    .forEach(d -> errors.append(d.getMessage(null)).append('\n'));
            return new Result(ok, errors.toString(), out.resolve("p/CommandModels.java"));
        }
    }

    private static String picocliJar() throws URISyntaxException {
        return new File(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }

    private static String command(String members) {
        return "package p;\nimport picocli.CommandLine.*;\n@Command(name = \"cmd\", mixinStandardHelpOptions = true)\n"
                + "class Cmd {\n" + members + "\n}\n";
    }

    @Test
    void writesTheModelOfWhatItKnows() throws Exception {
        Result r = compile(command("""
                @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where \\"to\\" \u2026") String out;
                @Option(names = "--all") boolean all;
                @Parameters(index = "0..*", description = "Files.") java.util.List<java.nio.file.Path> files;
                @Spec Model.CommandSpec spec;
                """));
        assertThat(r.ok()).as(r.errors()).isTrue();
        String model = Files.readString(r.out());
        assertThat(model).contains("s.name(\"cmd\");")
                .contains("OptionSpec.builder(new String[] {\"-o\", \"--out\"}).paramLabel(\"DIR\")")
                .contains("\"Where \\\"to\\\" \\u2026\"") // escaped, ASCII only
                .contains("paramLabel(\"<all>\")") // reflection's label from the field's name
                .contains(".type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)")
                .contains("Range.valueOf(\"0..1\").unspecified(true)") // reflection's arity for many values
                .contains("c.spec = s;")
                .contains("s.addMixin(\"mixinStandardHelpOptions\", standardHelpOptions());")
                .contains("case 1: old = c.all; c.all = (Boolean) value; break;");
    }

    @Test
    void refusesAnAttributeItDoesNotKnow() throws Exception {
        Result r = compile(command("@Option(names = \"--x\", hidden = true) boolean x;"));
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).contains("@Option(hidden = …) is not supported by the generated command models");
        assertThat(r.out()).doesNotExist();
    }

    @Test
    void refusesAFieldItCannotSet() throws Exception {
        Result r = compile(command("@Option(names = \"--x\") private String x;"));
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).contains("may be neither private, final nor static");
    }

    @Test
    void refusesAnArgGroupAndAnOptionOnAMethod() throws Exception {
        Result group = compile(command("@ArgGroup Object g;"));
        assertThat(group.ok()).isFalse();
        assertThat(group.errors()).contains("@ArgGroup is not supported");
        Result method = compile(command("@Option(names = \"--x\") void x(String v) { }"));
        assertThat(method.ok()).isFalse();
        assertThat(method.errors()).contains("only fields with one picocli annotation are supported");
    }
}
