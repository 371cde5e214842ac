package dev.distrolix.json;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;
import org.yaml.snakeyaml.scanner.ScannerException;

/**
 * SnakeYAML's reader over a text held whole. SnakeYAML's own {@link StreamReader} reads 1 KiB at a time and copies
 * its whole look-ahead window at each read, so a token it looks across (a long word, a long line of a block scalar)
 * costs time and garbage quadratic in its length: one 4 MiB scalar took 5.7 s and allocated ~16 GB. A spec is already
 * in memory, bounded, so this reader indexes its code points directly; every position, line and column it reports is
 * what SnakeYAML's would.
 *
 * <p>A code point SnakeYAML does not allow in a document is reported, as SnakeYAML does, once the scanner comes near
 * it, but at its own line and column, with its number.
 */
public final class WholeTextYamlReader extends StreamReader {
    private final String name;
    private final int[] text;
    /** Where the first code point YAML does not allow is, or {@code text.length}. */
    private final int firstNotAllowed;
    private final java.io.IOException undecodable;
    private int pointer;
    private int documentIndex;
    private int line;
    private int column;

    public WholeTextYamlReader(String name, String text) {
        this(name, text, null);
    }

    /**
     * Over {@code text}, the part of a document that decoded; {@code undecodable} (what stopped the decoding) is thrown
     * as SnakeYAML's reader throws it once the scanner reaches the end of that part.
     */
    public WholeTextYamlReader(String name, String text, java.io.IOException undecodable) {
        super("");
        this.undecodable = undecodable;
        this.name = name;
        this.text = text.codePoints().toArray();
        int bad = 0;
        while (bad < this.text.length && StreamReader.isPrintable(this.text[bad])) {
            bad++;
        }
        this.firstNotAllowed = bad;
    }

    /** Whether offset {@code k} from here is in the text; failing when the scanner reaches a code point not allowed. */
    private boolean has(int k) {
        int at = pointer + k;
        if (at >= firstNotAllowed && firstNotAllowed < text.length) {
            throw notAllowed();
        }
        if (at >= text.length && undecodable != null) {
            throw new org.yaml.snakeyaml.error.YAMLException(undecodable);
        }
        return at < text.length;
    }

    private ScannerException notAllowed() {
        int atLine = line;
        int atColumn = column;
        for (int i = pointer; i < firstNotAllowed; i++) {
            if (breaksLine(i)) {
                atLine++;
                atColumn = 0;
            } else if (text[i] != '\uFEFF') {
                atColumn++;
            }
        }
        int c = text[firstNotAllowed];
        Mark mark = new Mark(name, firstNotAllowed, atLine, atColumn, text, firstNotAllowed);
        return new ScannerException(null, null, String.format("special characters are not allowed (U+%04X)", c), mark);
    }

    /** SnakeYAML's rule: a line break, or a CR not followed by an LF (a CR LF pair counts once, at its LF). */
    private boolean breaksLine(int i) {
        int c = text[i];
        return Constant.LINEBR.has(c) || (c == '\r' && i + 1 < text.length && text[i + 1] != '\n');
    }

    @Override
    public Mark getMark() {
        return new Mark(name, pointer, line, column, text, pointer);
    }

    @Override
    public void forward() {
        forward(1);
    }

    @Override
    public void forward(int length) {
        for (int i = 0; i < length && has(0); i++) {
            int at = pointer++;
            documentIndex++;
            if (breaksLine(at)) {
                line++;
                column = 0;
            } else if (text[at] != '\uFEFF') {
                column++;
            }
        }
    }

    @Override
    public int peek() {
        return has(0) ? text[pointer] : 0;
    }

    @Override
    public int peek(int index) {
        return has(index) ? text[pointer + index] : 0;
    }

    @Override
    public String prefix(int length) {
        if (length == 0) {
            return "";
        }
        has(length - 1); // for its check only: what is past the text is left out
        return new String(text, pointer, Math.min(length, text.length - pointer));
    }

    @Override
    public String prefixForward(int length) {
        String prefix = prefix(length);
        pointer += length;
        documentIndex += length;
        column += length;
        return prefix;
    }

    @Override
    public int getColumn() {
        return column;
    }

    @Override
    public int getDocumentIndex() {
        return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
        documentIndex = 0;
    }

    @Override
    public int getIndex() {
        return pointer;
    }

    @Override
    public int getLine() {
        return line;
    }
}
