package dev.distrolix.json;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * A YAML factory for documents from outside that are already in memory, bounded: SnakeYAML's {@code limits} (aliases,
 * depth, code points), {@link Mappers}' read limits, and parsers over a {@link WholeTextYamlReader}, whose time is
 * linear in the text (SnakeYAML's own reader is quadratic in a long token). Read from an InputStream only: the other
 * inputs would take SnakeYAML's own reader again.
 */
public class BoundedYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    public BoundedYamlFactory(LoaderOptions limits) {
        super(YAMLFactory.builder().loaderOptions(limits));
        Mappers.bounded(this);
    }

    /** SnakeYAML's limits: at most {@code aliases} aliases to maps or lists, {@code depth} levels, {@code codePoints}. */
    public static LoaderOptions limits(int aliases, int depth, int codePoints) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(aliases);
        options.setNestingDepthLimit(depth);
        options.setCodePointLimit(codePoints);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    /** YAMLFactory's construction, the text decoded as YAMLFactory decodes it, then held whole. */
    @Override
    protected final YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
        Reader reader = _createReader(in, null, ctxt);
        StringBuilder text = new StringBuilder();
        // 1 KiB at a time, as SnakeYAML reads: bytes that do not decode are reported where its reader would have
        char[] chunk = new char[1024];
        IOException undecodable = null;
        try {
            for (int n; (n = reader.read(chunk)) > 0; ) {
                text.append(chunk, 0, n);
            }
        } catch (java.io.CharConversionException e) {
            undecodable = e;
        }
        return parser(ctxt, reader, new ParserImpl(new WholeTextYamlReader("'reader'", text.toString(), undecodable),
                _loaderOptions));
    }

    /** The parser over {@code yaml}; a subclass may return its own kind. */
    protected YAMLParser parser(IOContext ctxt, Reader reader, ParserImpl yaml) {
        return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _objectCodec, reader, yaml);
    }

    /** Jackson's YAMLParser over a SnakeYAML parser made here (its constructor for that is protected). */
    public static class Parser extends YAMLParser {
        public Parser(IOContext ctxt, int parserFeatures, int formatFeatures, ObjectCodec codec, Reader reader,
                ParserImpl yaml) {
            super(ctxt, parserFeatures, formatFeatures, codec, reader, yaml);
        }
    }
}
