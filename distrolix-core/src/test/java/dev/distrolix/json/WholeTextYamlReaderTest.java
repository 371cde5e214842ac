package dev.distrolix.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.testing.Trials;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.ScannerException;

/** The whole-text reader answers every call as SnakeYAML's own reader does, over the same text. */
class WholeTextYamlReaderTest {
    /** Line breaks of each kind, a BOM, a surrogate pair, text longer than SnakeYAML's 1 KiB reads. */
    private static final String[] PIECES = {"a", "b", " ", "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", "\uFEFF",
        "\t", "é", "\uD83D\uDE00", "x".repeat(700), ":", "#"};

    record Case(String text, long seed) {
        @Override
        public String toString() {
            return "seed " + seed + " over " + text.length() + " chars";
        }
    }

    @Test
    void everyCallAnswersAsSnakeYamlsReaderDoes() {
        Trials.forAll(300, r -> new Case(Trials.joined(r, 0, 60, PIECES), r.nextLong()), c -> {
            StreamReader theirs = new StreamReader(new StringReader(c.text()));
            WholeTextYamlReader ours = new WholeTextYamlReader("'reader'", c.text());
            SplittableRandom ops = new SplittableRandom(c.seed());
            List<String> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int k = ops.nextInt(4) == 0 ? ops.nextInt(1500) : ops.nextInt(4);
                String op = switch (ops.nextInt(6)) {
                    case 0 -> "peek(" + k + ")=" + same(reach(theirs, k).peek(k), ours.peek(k));
                    case 1 -> "prefix(" + k + ")=" + eq(reach(theirs, k).prefix(k), ours.prefix(k));
                    case 2 -> {
                        theirs.forward(k);
                        ours.forward(k);
                        yield "forward(" + k + ")";
                    }
                    case 3 -> {
                        // the scanner only consumes what it has peeked: never past the end
                        int n = Math.min(k, c.text().codePointCount(0, c.text().length()) - ours.getIndex());
                        yield "prefixForward(" + n + ")=" + eq(reach(theirs, n).prefixForward(n), ours.prefixForward(n));
                    }
                    case 4 -> {
                        theirs.resetDocumentIndex();
                        ours.resetDocumentIndex();
                        yield "reset";
                    }
                    default -> "peek()=" + theirs.peek() + "/" + ours.peek();
                };
                done.add(op);
                assertThat(ours.peek()).as("peek after %s", done).isEqualTo(theirs.peek());
                assertThat(position(ours)).as("after %s", done).isEqualTo(position(theirs));
            }
        });
    }

    /**
     * SnakeYAML's reader reads at most 1 KiB more per look: the scanner looks at each code point up to the farthest it
     * asks for (a peek or prefix far ahead without that reads short there, ours does not).
     */
    private static StreamReader reach(StreamReader r, int k) {
        for (int i = 0; i <= k; i++) {
            r.peek(i);
        }
        return r;
    }

    private static int same(int theirs, int ours) {
        assertThat(ours).as("peek").isEqualTo(theirs);
        return theirs;
    }

    private static String eq(String theirs, String ours) {
        assertThat(ours).isEqualTo(theirs);
        return theirs.length() + " chars";
    }

    private static String position(StreamReader r) {
        Mark m = r.getMark();
        return "index " + r.getIndex() + " line " + r.getLine() + " column " + r.getColumn() + " document index "
                + r.getDocumentIndex() + " mark " + m.getIndex() + ":" + m.getLine() + ":" + m.getColumn();
    }

    @Test
    void aCodePointYamlDoesNotAllowIsReportedAtItsOwnLineAndColumn() {
        WholeTextYamlReader reader = new WholeTextYamlReader("'reader'", "a: 1\r\nb: \"x\u0001\"\n");
        reader.forward(2);
        assertThat(reader.peek()).isEqualTo(' ');
        assertThatThrownBy(() -> reader.peek(20)).isInstanceOfSatisfying(ScannerException.class, e -> {
            assertThat(e.getProblem()).isEqualTo("special characters are not allowed (U+0001)");
            assertThat(e.getProblemMark().getLine()).isEqualTo(1);
            assertThat(e.getProblemMark().getColumn()).isEqualTo(5);
        });
        // what comes before it reads as it is
        assertThat(reader.prefix(9)).isEqualTo(" 1\r\nb: \"x");
    }
}
