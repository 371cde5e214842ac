package dev.distrolix.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.distrolix.json.Mappers;
import dev.distrolix.spec.SpecNode.Entry;
import dev.distrolix.spec.SpecNode.ListNode;
import dev.distrolix.spec.SpecNode.MapNode;
import dev.distrolix.spec.SpecNode.Scalar;
import dev.distrolix.spec.SpecNode.ScalarKind;
import java.io.ByteArrayInputStream;
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
 * Reads a YAML or JSON document with Jackson's streaming parser into a {@link SpecNode} tree that remembers where
 * every key and value was written. Duplicate keys, multi-document YAML and trailing JSON content are rejected
 * here, because the streaming parser accepts them silently. YAML anchors and aliases are resolved (an alias
 * shares the anchored node), and so are {@code <<} merge keys, which is what anchors are mostly used for.
 *
 * <p>A spec may come from anywhere (a pipe, a pull request), so reading is bounded: at most
 * {@link #MAX_BYTES} bytes, {@link #MAX_DEPTH} levels of nesting, {@link #MAX_COLLECTION_ALIASES} aliases to
 * maps or lists and {@link #MAX_MERGED_KEYS} keys copied by merge keys. A hostile document (an alias bomb, a
 * long {@code <<: *prev} chain) fails at once with a one-line error instead of taking the heap.
 */
final class SpecTreeReader {
    enum Format { YAML, JSON }

    /** A spec is a few kilobytes; the cap also bounds what is read from a pipe. */
    static final int MAX_BYTES = Mappers.MAX_DOCUMENT;
    static final int MAX_DEPTH = Mappers.MAX_DEPTH;
    /** SnakeYAML's own default; real specs use a handful ({@code <<: *defaults}). */
    static final int MAX_COLLECTION_ALIASES = 50;
    /** Keys a document's merge keys may copy in total; a spec has a few hundred keys at most. */
    static final int MAX_MERGED_KEYS = 10_000;

    private static final String MERGE_KEY = "<<";

    private final Path file;
    private final Format format;
    private final Map<String, SpecNode> anchors = new HashMap<>();
    private JsonParser parser;
    private int depth;
    private int collectionAliases;
    private int mergedKeys;

    private SpecTreeReader(Path file, Format format) {
        this.file = file;
        this.format = format;
    }

    /** The format a file name asks for, or an error for any other extension. */
    static Format formatOf(Path file) {
        Format format = formatOfName(file);
        if (format == null) {
            throw SpecException.inFile(file, "unsupported file type: expected a .yaml, .yml or .json file", null);
        }
        return format;
    }

    /** The format a name's extension asks for, or null when it has none of .yaml, .yml, .json. */
    static Format formatOfName(Path name) {
        String text = name.getFileName() == null ? "" : name.getFileName().toString().toLowerCase(Locale.ROOT);
        if (text.endsWith(".yaml") || text.endsWith(".yml")) {
            return Format.YAML;
        }
        if (text.endsWith(".json")) {
            return Format.JSON;
        }
        return null;
    }

    /**
     * The format of a document without a telling name (read from stdin): JSON when its first character is
     * '{' followed by '"' or '}' (what {@code builtins.toJSON} and {@code jq} write), YAML otherwise.
     */
    static Format sniff(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            i = 3; // UTF-8 byte order mark
        }
        i = skipBlanks(bytes, i);
        if (i >= bytes.length || bytes[i] != '{') {
            return Format.YAML;
        }
        i = skipBlanks(bytes, i + 1);
        return i < bytes.length && (bytes[i] == '"' || bytes[i] == '}') ? Format.JSON : Format.YAML;
    }

    private static int skipBlanks(byte[] bytes, int i) {
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        return i;
    }

    static SpecNode read(Path file) {
        return read(file, SpecTreeRecords.none());
    }

    /** The file's tree, from {@code records} when they hold the parse of its bytes. */
    static SpecNode read(Path file, SpecTreeRecords records) {
        return records.read(bytesOf(file), file, formatOf(file));
    }

    /** The file's bytes, bounded: a spec that is not a regular file, or too large, is refused before it is read. */
    static byte[] bytesOf(Path file) {
        if (Files.exists(file) && !Files.isDirectory(file) && !Files.isRegularFile(file)) {
            // a FIFO's open waits for a writer (forever, if none comes): a spec from a pipe is read as `-` (stdin)
            throw SpecException.inFile(file, "not a regular file (to read a spec from a pipe, name it - and give it on stdin)",
                    null);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = readBounded(in, file);
        } catch (IOException e) {
            throw SpecException.inFile(file, "cannot read file: " + readable(e), e);
        }
        return bytes;
    }

    /** Parses a document already read; {@code name} is what messages call it. */
    static SpecNode read(byte[] bytes, Path name, Format format) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name);
        }
        return new SpecTreeReader(name, format).readDocument(bytes);
    }

    /** At most {@link #MAX_BYTES} bytes of a stream; more is an error naming {@code name}. */
    static byte[] readBounded(InputStream in, Path name) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name);
        }
        return bytes;
    }

    private static SpecException tooLarge(Path name) {
        return SpecException.inFile(name, "the spec is larger than " + (MAX_BYTES >> 20) + " MiB", null);
    }

    private static JsonFactory factory(Format format) {
        if (format == Format.YAML) {
            return new AnchorTrackingYamlFactory();
        }
        return Mappers.bounded(JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build());
    }

    private SpecNode readDocument(byte[] bytes) {
        try (JsonParser p = factory(format).createParser(new ByteArrayInputStream(bytes))) {
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
            throw SpecException.inFile(file, "cannot read file: " + readable(e), e);
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
            if (!(target instanceof Scalar) && ++collectionAliases > MAX_COLLECTION_ALIASES) {
                throw new SpecException(location, path.toString(), "more than " + MAX_COLLECTION_ALIASES
                        + " aliases to maps or lists (a limit against alias bombs)");
            }
            return target;
        }
        String anchor = anchorOfCurrentToken();
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && ++depth > MAX_DEPTH) {
            throw new SpecException(location, path.toString(), "nested deeper than " + MAX_DEPTH + " levels");
        }
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
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            depth--;
        }
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
            mergedKeys += source.entries().size();
            if (mergedKeys > MAX_MERGED_KEYS) {
                throw new SpecException(location, path.toString(), "'<<' merge keys copy more than "
                        + MAX_MERGED_KEYS + " keys (a limit against merge bombs)");
            }
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
        return SpecException.at(locationOf(e.getLocation()), "", kind + withoutClassNames(oneLine(dev.distrolix.json.JsonTrees.problem(e.getOriginalMessage()))),
                e);
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** Why a file could not be read, in words (not "java.nio.file.NoSuchFileException: x"). */
    static String readable(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.contains("Is a directory")) {
            return "it is a directory";
        }
        return withoutClassNames(oneLine(m));
    }

    /** Drops the "java.io.CharConversionException: " a library puts before its words. */
    static String withoutClassNames(String message) {
        return message.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:Exception|Error): ", "");
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s+", " ");
    }
}
