package dev.distrolix.spec;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * A YAML factory whose parsers also report anchors on scalars ({@code port: &p 80}). Jackson's YAMLParser
 * exposes anchors of maps and lists through {@code getCurrentAnchor()} but drops those of scalars, so an alias
 * to a scalar could not be resolved without this.
 */
final class AnchorTrackingYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    AnchorTrackingYamlFactory() {
        super(YAMLFactory.builder().loaderOptions(limits()));
        // Messages are condensed by us; Jackson's "[Source: …]" suffix would only repeat the file name.
        disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());
    }

    /**
     * SnakeYAML's own limits, for what its parser checks itself (the reader in {@link SpecTreeReader} counts
     * aliases and depth too, since Jackson reads events and never runs SnakeYAML's composer). Duplicate keys
     * are left to the reader, whose message names both places.
     */
    static LoaderOptions limits() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(SpecTreeReader.MAX_COLLECTION_ALIASES);
        options.setNestingDepthLimit(SpecTreeReader.MAX_DEPTH);
        options.setCodePointLimit(SpecTreeReader.MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    @Override
    protected YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
        // Same construction as YAMLFactory's own, with our parser class.
        return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
                _createReader(in, null, ctxt));
    }

    /** A YAMLParser remembering the anchor of the scalar it decoded last. */
    static final class Parser extends YAMLParser {
        private String scalarAnchor;

        Parser(IOContext ctxt, int parserFeatures, int formatFeatures, LoaderOptions loaderOptions,
                ObjectCodec codec, Reader reader) {
            super(ctxt, parserFeatures, formatFeatures, loaderOptions, codec, reader);
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
