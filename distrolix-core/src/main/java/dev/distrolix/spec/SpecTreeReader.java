package dev.distrolix.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.distrolix.spec.SpecNode.Entry;
import dev.distrolix.spec.SpecNode.ListNode;
import dev.distrolix.spec.SpecNode.MapNode;
import dev.distrolix.spec.SpecNode.Scalar;
import dev.distrolix.spec.SpecNode.ScalarKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML or JSON file with Jackson's streaming parser into a {@link SpecNode} tree that remembers where
 * every key and value was written. Duplicate keys, multi-document YAML and trailing JSON content are rejected
 * here, because the streaming parser accepts them silently. YAML anchors and aliases are resolved (an alias
 * shares the anchored node), and so are {@code <<} merge keys, which is what anchors are mostly used for.
 */
final class SpecTreeReader {
    enum Format { YAML, JSON }

    private static final String MERGE_KEY = "<<";

    private final Path file;
    private final Format format;
    private final Map<String, SpecNode> anchors = new HashMap<>();
    private JsonParser parser;

    private SpecTreeReader(Path file, Format format) {
        this.file = file;
        this.format = format;
    }

    /** The format a file name asks for, or an error for any other extension. */
    static Format formatOf(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Format.YAML;
        }
        if (name.endsWith(".json")) {
            return Format.JSON;
        }
        throw SpecException.inFile(file, "unsupported file type: expected a .yaml, .yml or .json file", null);
    }

    static SpecNode read(Path file) {
        return new SpecTreeReader(file, formatOf(file)).readDocument();
    }

    private SpecNode readDocument() {
        JsonFactory factory = format == Format.YAML
                ? new AnchorTrackingYamlFactory()
                : JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
        try (InputStream in = Files.newInputStream(file); JsonParser p = factory.createParser(in)) {
            parser = p;
            if (p.nextToken() == null) {
                throw new SpecException(SourceLocation.startOf(file), "", "the file is empty");
            }
            SpecNode root = readValue(KeyPath.ROOT);
            if (root instanceof Scalar scalar && scalar.kind() == ScalarKind.NULL) {
                throw new SpecException(SourceLocation.startOf(file), "", "the file is empty");
            }
            if (p.nextToken() != null) {
                String problem = format == Format.YAML
                        ? "a spec file holds one YAML document, found a second one"
                        : "unexpected content after the top-level JSON value";
                throw new SpecException(here(), "", problem);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw SpecException.inFile(file, "cannot read file: " + oneLine(String.valueOf(e)), e);
        }
    }

    private SpecNode readValue(KeyPath path) throws IOException {
        JsonToken token = parser.currentToken();
        SourceLocation location = here();
        if (isAlias()) {
            String anchor = parser.getText();
            SpecNode target = anchors.get(anchor);
            if (target == null) {
                throw new SpecException(location, path.toString(), "unknown YAML alias '*" + anchor + "'");
            }
            return target;
        }
        String anchor = anchorOfCurrentToken();
        SpecNode node = switch (token) {
            case START_OBJECT -> readMap(location, path);
            case START_ARRAY -> readList(location, path);
            case VALUE_STRING -> new Scalar(location, ScalarKind.STRING, parser.getText());
            case VALUE_NUMBER_INT -> new Scalar(location, ScalarKind.INTEGER, parser.getText());
            case VALUE_NUMBER_FLOAT -> new Scalar(location, ScalarKind.FLOAT, parser.getText());
            case VALUE_TRUE -> new Scalar(location, ScalarKind.TRUE, parser.getText());
            case VALUE_FALSE -> new Scalar(location, ScalarKind.FALSE, parser.getText());
            case VALUE_NULL -> new Scalar(location, ScalarKind.NULL, "null");
            default -> throw new SpecException(location, path.toString(), "unsupported value (" + token + ")");
        };
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private MapNode readMap(SourceLocation location, KeyPath path) throws IOException {
        Map<String, Entry> explicit = new LinkedHashMap<>();
        List<MapNode> merged = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            SourceLocation keyLocation = here();
            parser.nextToken();
            SpecNode value = readValue(path.key(key));
            if (format == Format.YAML && key.equals(MERGE_KEY)) {
                collectMergeSources(value, keyLocation, path, merged);
                continue;
            }
            Entry previous = explicit.putIfAbsent(key, new Entry(key, keyLocation, value));
            if (previous != null) {
                throw new SpecException(keyLocation, path.toString(), "duplicate key '" + key + "' (first at "
                        + previous.keyLocation().lineColumn() + ")");
            }
        }
        if (merged.isEmpty()) {
            return new MapNode(location, explicit);
        }
        // YAML merge semantics: keys written in this map win, then earlier merge sources over later ones.
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (MapNode source : merged) {
            source.entries().forEach(entries::putIfAbsent);
        }
        entries.keySet().removeAll(explicit.keySet());
        entries.putAll(explicit);
        return new MapNode(location, entries);
    }

    private static void collectMergeSources(SpecNode value, SourceLocation at, KeyPath path, List<MapNode> into) {
        if (value instanceof MapNode map) {
            into.add(map);
        } else if (value instanceof ListNode list && list.items().stream().allMatch(i -> i instanceof MapNode)) {
            list.items().forEach(i -> into.add((MapNode) i));
        } else {
            throw new SpecException(at, path.toString(),
                    "a '<<' merge key needs a map or a list of maps, found " + value.describe());
        }
    }

    private ListNode readList(SourceLocation location, KeyPath path) throws IOException {
        List<SpecNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(path.index(items.size())));
        }
        return new ListNode(location, items);
    }

    private boolean isAlias() {
        return parser instanceof YAMLParser yaml && yaml.isCurrentAlias();
    }

    private String anchorOfCurrentToken() throws IOException {
        return parser instanceof AnchorTrackingYamlFactory.Parser yaml ? yaml.anchorOfCurrentValue() : null;
    }

    private SourceLocation here() {
        return locationOf(parser.currentTokenLocation());
    }

    private SourceLocation locationOf(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return SourceLocation.startOf(file);
        }
        return new SourceLocation(file, at.getLineNr(), Math.max(1, at.getColumnNr()));
    }

    /** Jackson's and SnakeYAML's multi-line messages condensed to one line at the position of the problem. */
    private SpecException malformed(JsonProcessingException e) {
        String kind = format == Format.YAML ? "malformed YAML: " : "malformed JSON: ";
        MarkedYAMLException marked = findCause(e, MarkedYAMLException.class);
        if (marked != null) {
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            SourceLocation location = mark == null ? SourceLocation.startOf(file)
                    : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
            String problem = marked.getContext() == null ? marked.getProblem()
                    : marked.getContext() + ": " + marked.getProblem();
            return SpecException.at(location, "", kind + oneLine(problem), e);
        }
        return SpecException.at(locationOf(e.getLocation()), "", kind + oneLine(e.getOriginalMessage()), e);
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s+", " ");
    }
}
