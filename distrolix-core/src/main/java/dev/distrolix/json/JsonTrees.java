package dev.distrolix.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * JSON trees read and written with Jackson's streaming parser and generator alone: the trees an
 * ObjectMapper's {@code readTree} and {@code writeValueAsBytes} give, node for node and byte for byte (its
 * defaults: a repeated key keeps its last value, trailing content after the value is not read, empty input is
 * a missing node), without the mapper, whose making and first tree cost every short run ~35 ms. Reads are
 * bounded as every reader of outside JSON is ({@link Mappers}).
 */
public final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static JsonNode read(byte[] json) throws JsonProcessingException {
        return read(json, false);
    }

    /** As {@code readTree(String)}: the characters are parsed as they are (no encoding is guessed). */
    public static JsonNode read(String json) throws JsonProcessingException {
        return read(() -> Mappers.FACTORY.createParser(json), false);
    }

    /** {@code strictKeys}: a key repeated within an object is an error (a document whose meaning is ambiguous). */
    public static JsonNode read(byte[] json, boolean strictKeys) throws JsonProcessingException {
        return read(() -> Mappers.FACTORY.createParser(json), strictKeys);
    }

    private interface ParserSource {
        JsonParser open() throws IOException;
    }

    private static JsonNode read(ParserSource source, boolean strictKeys) throws JsonProcessingException {
        try (JsonParser p = source.open()) {
            if (strictKeys) {
                p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            }
            JsonToken t = p.nextToken();
            return t == null ? MissingNode.getInstance() : tree(p, t);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // the byte parser guesses the encoding from the first bytes, and some starts fail with a plain
            // IOException (CharConversionException: no I/O is involved): a document that is not JSON, as any other
            throw new JsonParseException(null, String.valueOf(e.getMessage()), e);
        }
    }

    /** The value starting at {@code first}, built without recursion (depth is bounded by the parser anyway). */
    private static JsonNode tree(JsonParser p, JsonToken first) throws IOException {
        Deque<JsonNode> open = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        JsonNode root = null;
        for (JsonToken t = first; t != null; t = open.isEmpty() ? null : p.nextToken()) {
            JsonNode value;
            switch (t) {
                case START_OBJECT -> {
                    ObjectNode o = NODES.objectNode();
                    attach(open, names, o);
                    open.push(o);
                    continue;
                }
                case START_ARRAY -> {
                    ArrayNode a = NODES.arrayNode();
                    attach(open, names, a);
                    open.push(a);
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    JsonNode done = open.pop();
                    if (open.isEmpty()) {
                        return done;
                    }
                    continue;
                }
                case FIELD_NAME -> {
                    names.push(p.currentName());
                    continue;
                }
                case VALUE_STRING -> value = NODES.textNode(p.getText());
                case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> value = NODES.booleanNode(true);
                case VALUE_FALSE -> value = NODES.booleanNode(false);
                case VALUE_NULL -> value = NODES.nullNode();
                default -> throw new IllegalStateException("unexpected JSON token " + t);
            }
            if (open.isEmpty()) {
                root = value; // a scalar document
                break;
            }
            attach(open, names, value);
        }
        return root;
    }

    private static void attach(Deque<JsonNode> open, Deque<String> names, JsonNode value) {
        JsonNode parent = open.peek();
        if (parent instanceof ObjectNode o) {
            o.replace(names.pop(), value);
        } else if (parent instanceof ArrayNode a) {
            a.add(value);
        }
    }

    /** Compact, in the tree's key order: what an ObjectMapper's {@code writeValueAsBytes} writes. */
    public static byte[] write(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(node, () -> Mappers.FACTORY.createGenerator(out));
        return out.toByteArray();
    }

    /** What an ObjectMapper's {@code writeValueAsString} (and {@link JsonNode#toString}, which makes a mapper) gives. */
    public static String writeString(JsonNode node) {
        StringWriter out = new StringWriter(256);
        write(node, () -> Mappers.FACTORY.createGenerator(out));
        return out.toString();
    }

    private interface GeneratorSource {
        JsonGenerator open() throws IOException;
    }

    private static void write(JsonNode node, GeneratorSource target) {
        try (JsonGenerator g = target.open()) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: nothing to fail
        }
    }

    /** As the node types' own serializers write themselves under a mapper's default settings. */
    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (var it = node.fields(); it.hasNext(); ) {
                    var field = it.next();
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case DOUBLE -> g.writeNumber(node.doubleValue());
                    default -> g.writeNumber(node.decimalValue());
                }
            }
            default -> throw new IllegalArgumentException("not a JSON tree node: " + node.getNodeType());
        }
    }

    /**
     * A parser's complaint as a message quotes it: its first line, without the Java names Jackson adds to a limit it
     * hit ("…maximum allowed (64, from `StreamReadConstraints.getMaxNestingDepth()`)" reads "…maximum allowed (64)").
     */
    public static String problem(String message) {
        if (message == null) {
            return "";
        }
        String first = message.strip().lines().findFirst().orElse("");
        return first.replaceAll(", from `[A-Za-z]+\\.[A-Za-z]+\\(\\)`", "");
    }
}
