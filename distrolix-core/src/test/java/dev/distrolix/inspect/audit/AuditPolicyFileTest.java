package dev.distrolix.inspect.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy file from a repository is outside input: bounded to read, every mistake one short line. */
class AuditPolicyFileTest {
    @TempDir
    Path dir;

    private String refused(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), yaml);
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> AuditPolicy.load(file)).isInstanceOfSatisfying(InputException.class, e -> thrown[0] = e);
        String message = thrown[0].getMessage();
        assertThat(message).startsWith(file.toString()).doesNotContain("\n").hasSizeLessThan(file.toString().length() + 700);
        return message.substring(file.toString().length());
    }

    @Test
    void aFileLargerThanAPolicyNeedsIsRefusedUnread() throws Exception {
        assertThat(refused("fail-on: high\n# " + "x".repeat(8 << 20) + "\n"))
                .isEqualTo(": larger than 1 MiB; an audit policy is never that large");
        assertThatThrownBy(() -> AuditPolicy.load(Path.of("/dev/zero"))).isInstanceOf(InputException.class)
                .hasMessage("/dev/zero: not a regular file; an audit policy is read from a file");
    }

    @Test
    void malformedYamlIsNamedAtItsLineAndColumn() throws Exception {
        assertThat(refused("fail-on: high\nignore: [\n")).isEqualTo(
                ":3:1: not valid YAML (expected the node content, but found '<stream end>')");
        assertThat(refused("ignore:\n  - id: \"x\u0001\"\n"))
                .isEqualTo(":2:11: not valid YAML (special characters are not allowed (U+0001))");
        Path latin1 = Files.write(dir.resolve("policy.yaml"), "ignore:\n  - id: caf\u00e9\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> AuditPolicy.load(latin1)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(latin1 + ": not valid YAML (").hasMessageContaining("multi-byte char");
        assertThat(refused("[".repeat(5000) + "]".repeat(5000) + "\n")).contains("not valid YAML (")
                .doesNotContain("StreamReadConstraints");
    }

    @Test
    void quotedValuesAreShortAndOnOneLine() throws Exception {
        String longWord = "x".repeat(900_000);
        assertThat(refused("ignore:\n  - id: " + longWord + "\n")).startsWith(": ignore[0]: unknown finding id 'xxx")
                .contains("… (900000 characters)");
        assertThat(refused("fail-on: \"hi\\ngh\"\n")).startsWith(": fail-on: 'hi\\x0agh' is not a severity");
        assertThat(refused("max-wasted-bytes: 3" + "q".repeat(1000) + "\n")).contains("unknown unit 'qqq")
                .contains("(1000 characters)");
        assertThat(refused("? " + longWord + "\n: 1\n")).contains("unknown key 'xxx").contains("(900000 characters)");
    }

    /** SnakeYAML's own reader allocated ~20 GB for a word of a few MiB; read whole, a policy's bytes cost a few times them. */
    @Test
    void aLongWordCostsGarbageLinearInIt() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), "fail-on: high\nignore:\n  - id: shell\n    reason: "
                + "y".repeat(1_000_000) + "\n");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        AuditPolicy policy = AuditPolicy.load(file);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(policy.ignores()).singleElement().satisfies(i -> assertThat(i.reason()).hasSize(1_000_000));
        assertThat(allocated).isLessThan(128L << 20);
    }
}
