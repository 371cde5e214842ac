package dev.distrolix.spec;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.distrolix.json.BoundedYamlFactory;
import java.io.IOException;
import java.io.Reader;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * A YAML factory whose parsers also report anchors on scalars ({@code port: &p 80}). Jackson's YAMLParser
 * exposes anchors of maps and lists through {@code getCurrentAnchor()} but drops those of scalars, so an alias
 * to a scalar could not be resolved without this.
 *
 * <p>SnakeYAML's own limits are for what its parser checks itself (the reader in {@link SpecTreeReader} counts
 * aliases and depth too, since Jackson reads events and never runs SnakeYAML's composer). Duplicate keys are left
 * to the reader, whose message names both places.
 */
final class AnchorTrackingYamlFactory extends BoundedYamlFactory {
    private static final long serialVersionUID = 1L;

    AnchorTrackingYamlFactory() {
        super(limits(SpecTreeReader.MAX_COLLECTION_ALIASES, SpecTreeReader.MAX_DEPTH, SpecTreeReader.MAX_BYTES));
        // Messages are condensed by us; Jackson's "[Source: …]" suffix would only repeat the file name.
        disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());
    }

    @Override
    protected YAMLParser parser(IOContext ctxt, Reader reader, ParserImpl yaml) {
        return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _objectCodec, reader, yaml);
    }

    /** A YAMLParser remembering the anchor of the scalar it decoded last. */
    static final class Parser extends BoundedYamlFactory.Parser {
        private String scalarAnchor;

        Parser(IOContext ctxt, int parserFeatures, int formatFeatures, ObjectCodec codec, Reader reader,
                ParserImpl yaml) {
            super(ctxt, parserFeatures, formatFeatures, codec, reader, yaml);
        }

        @Override
        protected com.fasterxml.jackson.core.JsonToken _decodeScalar(ScalarEvent scalar) throws IOException {
            scalarAnchor = scalar.getAnchor();
            return super._decodeScalar(scalar);
        }

        /** The anchor of the current value, map, list or scalar alike; null when it has none. */
        String anchorOfCurrentValue() throws IOException {
            if (currentToken() != null && currentToken().isScalarValue()) {
                return isCurrentAlias() ? null : scalarAnchor;
            }
            return getObjectId(); // the anchor of a map or list
        }
    }
}
