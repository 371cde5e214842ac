package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** {@code -V} prints the Maven version and the git commit the build came from. */
class VersionTest {
    private static final Pattern LINE = Pattern.compile("distrolix (\\S+) \\(git ([0-9a-f]{7,40}|unknown)\\)\n");

    /** The version in the parent pom (distrolix-cli's tests run in distrolix-cli/). */
    private static String pomVersion() throws Exception {
        Path pom = Path.of("..", "pom.xml");
        assertThat(pom).exists();
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        for (var n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("no <version> in " + pom);
    }

    @Test
    void versionIsThePomsAndTheCommit() throws Exception {
        Cli r = Cli.run("-V");
        assertThat(r.exitCode()).isZero();
        Matcher m = LINE.matcher(r.out());
        assertThat(m.matches()).as(r.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(pomVersion());
        if (!m.group(2).equals("unknown")) { // built in a git checkout: a commit of it
            Process git = new ProcessBuilder("git", "cat-file", "-e", m.group(2) + "^{commit}")
                    .redirectErrorStream(true).start();
            git.getInputStream().readAllBytes();
            assertThat(git.waitFor()).as("git knows commit " + m.group(2)).isZero();
        } else {
            assertThat(Files.exists(Path.of("..", ".git"))).as("a checkout's build names its commit").isFalse();
        }
        assertThat(Cli.run("--version").out()).isEqualTo(r.out());
        // -V and --version alone print it without picocli; through picocli, the line is the same
        assertThat(Cli.run("--debug", "--version").out()).as("picocli's --version").isEqualTo(r.out());
        assertThat(Cli.run("build", "-V").out()).as("a subcommand's -V").isEqualTo(r.out());
        assertThat(Cli.run("cache", "du", "-V").out()).isEqualTo(r.out());
    }
}
