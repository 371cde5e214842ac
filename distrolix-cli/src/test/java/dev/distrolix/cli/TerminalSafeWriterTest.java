package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Control characters an image or a registry puts in what distrolix prints reach no terminal. */
class TerminalSafeWriterTest {
    @Test
    void escapesAndOtherControlsAreShownAsQuestionMarksLinesAndTabsPass() {
        StringWriter sink = new StringWriter();
        try (PrintWriter out = new PrintWriter(new TerminalSafeWriter(sink, false))) {
            out.print("Cmd /bin/\u001b[2Jx\tuser \u001b]0;PWNED\u0007 \u009b31m\r\n");
            out.write('\u001b');
            out.write("ok\n".toCharArray(), 0, 3);
        }
        assertThat(sink.toString()).isEqualTo("Cmd /bin/?[2Jx\tuser ?]0;PWNED? ?31m?\n?ok\n");
    }

    @Test
    void returnsPassWhereAllowed() {
        StringWriter sink = new StringWriter();
        try (PrintWriter err = new PrintWriter(new TerminalSafeWriter(sink, true))) {
            err.print("\rlayer 1/3\r");
        }
        assertThat(sink.toString()).isEqualTo("\rlayer 1/3\r");
    }
}
