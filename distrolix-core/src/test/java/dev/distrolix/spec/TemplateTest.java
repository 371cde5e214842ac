package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.spec.Template.Literal;
import dev.distrolix.spec.Template.Placeholder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final SourceLocation AT = new SourceLocation(Path.of("image.yaml"), 7, 9);

    @Test
    void splitsLiteralsAndPlaceholders() {
        Template t = Template.parse("listen ${port}; root ${packages.web}/html;", AT, "paths[1].content");

        assertThat(t.parts()).containsExactly(new Literal("listen "), new Placeholder("port", AT),
                new Literal("; root "), new Placeholder("packages.web", AT), new Literal("/html;"));
        assertThat(t.mentionsPackages()).isTrue();
        assertThat(t.render(Map.of("port", "80"), Map.of("web", "/nix/store/abc-nginx")))
                .isEqualTo("listen 80; root /nix/store/abc-nginx/html;");
    }

    @Test
    void doubleDollarEscapesAPlaceholder() {
        Template t = Template.parse("echo $${HOME} and ${user} cost $5 $$ ${'$'}{x}", AT, "config.cmd[0]");

        assertThat(t.render(Map.of("user", "me", "'$'", "$"), Map.of()))
                .isEqualTo("echo ${HOME} and me cost $5 $$ ${x}");
        assertThat(t.placeholders()).extracting(Placeholder::name).containsExactly("user", "'$'");
        assertThat(t.source()).isEqualTo("echo $${HOME} and ${user} cost $5 $$ ${'$'}{x}");
    }

    @Test
    void literalTemplateRendersAsItself() {
        Template t = Template.parse("plain $ text", AT, "k");
        assertThat(t.isLiteral()).isTrue();
        assertThat(t.render(Map.of(), Map.of())).isEqualTo("plain $ text");
        assertThat(Template.parse("", AT, "k").render(Map.of(), Map.of())).isEmpty();
    }

    @Test
    void renderingAnUnknownNameFailsAtTheSpecLocation() {
        Template t = Template.parse("${packages.web}/bin/nginx", AT, "paths[3].target");

        assertThatThrownBy(() -> t.render(Map.of(), Map.of()))
                .isInstanceOf(SpecException.class)
                .hasMessage("image.yaml:7:9: paths[3].target: no store path for package 'web' in '${packages.web}'");
        assertThatThrownBy(() -> Template.parse("${nope}", AT, "k").render(Map.of(), Map.of()))
                .hasMessage("image.yaml:7:9: k: unknown variable 'nope' in '${nope}'");
    }

    @Test
    void syntaxErrors() {
        assertThatThrownBy(() -> Template.parse("a ${b", AT, "k"))
                .hasMessage("image.yaml:7:9: k: unterminated '${' (write '$${' for a literal '${')");
        assertThatThrownBy(() -> Template.parse("a ${}", AT, "k"))
                .hasMessage("image.yaml:7:9: k: empty placeholder '${}'");
    }

    @Test
    void fileTemplatesLocateEachPlaceholder() {
        Path file = Path.of("site/index.html");
        Template t = Template.parseFile("<h1>${title}</h1>\n<p>\n  ${body}</p>", file, "paths[0].source");

        assertThat(t.placeholders()).extracting(Placeholder::location).containsExactly(
                new SourceLocation(file, 1, 5), new SourceLocation(file, 3, 3));
        assertThatThrownBy(() -> Template.parseFile("ok\n  ${oops", file, "k"))
                .hasMessage("site/index.html:2:3: k: unterminated '${' (write '$${' for a literal '${')");
    }
}
