package dev.distrolix.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonTrees gives what an ObjectMapper gives (the same nodes read, the same bytes written), without one. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper(Mappers.bounded(new com.fasterxml.jackson.core.JsonFactory()));

    @Test
    void randomTreesAreWrittenByteForByteAsTheMapperWritesThemAndReadBackAsItReadsThem() throws Exception {
        Random random = new Random(20261205);
        for (int i = 0; i < 3_000; i++) {
            JsonNode tree = randomValue(random, 0);
            byte[] ours = JsonTrees.write(tree);
            assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(new String(MAPPER.writeValueAsBytes(tree), StandardCharsets.UTF_8));
            assertThat(JsonTrees.writeString(tree)).isEqualTo(MAPPER.writeValueAsString(tree)).isEqualTo(tree.toString());
            JsonNode back = JsonTrees.read(ours);
            JsonNode theirs = MAPPER.readTree(ours);
            assertThat(back).isEqualTo(theirs);
            // node types too (an int stays an IntNode, a long a LongNode): equal trees write equal bytes
            assertThat(JsonTrees.write(back)).isEqualTo(MAPPER.writeValueAsBytes(theirs));
        }
    }

    @Test
    void readsAsTheMapperDoesAtTheEdges() throws Exception {
        String[] docs = {"", "  ", "1", "-0", "1.5e300", "12345678901234567890123", "\"s\"", "null", "true",
                "{\"a\":1,\"a\":2,\"b\":[]}", "[1,2] trailing", "{\"k\":\"\\u00e9\\n\\ud83d\\ude00\"}", "[[[]],{}]",
                "2147483648", "-9223372036854775809", "0.1", "1E2"};
        for (String d : docs) {
            for (boolean asText : new boolean[] {true, false}) {
                JsonNode ours = asText ? JsonTrees.read(d) : JsonTrees.read(d.getBytes(StandardCharsets.UTF_8));
                JsonNode theirs = asText ? MAPPER.readTree(d) : MAPPER.readTree(d.getBytes(StandardCharsets.UTF_8));
                assertThat(ours).as(d).isEqualTo(theirs);
                assertThat(ours.getClass()).as(d).isEqualTo(theirs.getClass());
            }
        }
        // text is read as characters, as the mapper reads a String: a lone surrogate stays, a NUL is refused
        assertThat(JsonTrees.read("[\"\ud800\"]").get(0).textValue()).isEqualTo("\ud800");
        assertThat(JsonTrees.read("[\"\ud800\"]")).isEqualTo(MAPPER.readTree("[\"\ud800\"]"));
        assertThatThrownBy(() -> MAPPER.readTree("\u0000{\u0000}")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonTrees.read("\u0000{\u0000}")).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void bytesWhoseEncodingCannotBeGuessedAreNotJsonLikeAnyOther() {
        // the byte parser guesses UTF-32 from these and fails with a CharConversionException
        for (byte[] b : new byte[][] {{0, 0, 0x7B, 0}, {0, 0, 0, 0x7B, 0x7F, 0, 0, 0}}) {
            assertThatThrownBy(() -> JsonTrees.read(b)).isInstanceOf(JsonProcessingException.class);
            assertThatThrownBy(() -> JsonTrees.read(b, true)).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void refusesWhatTheBoundedMapperRefuses() {
        String deep = "[".repeat(Mappers.MAX_DEPTH + 1) + "]".repeat(Mappers.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonTrees.read(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("depth");
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field 'a'");
    }

    private static JsonNode randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 7 : 9);
        switch (kind) {
            case 0: return JsonTrees.object().textNode(randomString(r));
            case 1: return JsonTrees.object().numberNode(r.nextInt());
            case 2: return JsonTrees.object().numberNode(r.nextLong());
            case 3: return JsonTrees.object().numberNode(new BigInteger(80, r).negate());
            case 4: return JsonTrees.object().numberNode(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
            case 5: return JsonTrees.object().booleanNode(r.nextBoolean());
            case 6: return JsonTrees.object().nullNode();
            case 7: {
                ObjectNode o = JsonTrees.object();
                for (int n = r.nextInt(5); n > 0; n--) {
                    o.set(randomString(r), randomValue(r, depth + 1));
                }
                return o;
            }
            default: {
                ArrayNode a = JsonTrees.object().arrayNode();
                for (int n = r.nextInt(5); n > 0; n--) {
                    a.add(randomValue(r, depth + 1));
                }
                return a;
            }
        }
    }

    private static String randomString(Random r) {
        String alphabet = "ab/\"\\\n\t\u0001é€😀<>&";
        StringBuilder s = new StringBuilder();
        for (int n = r.nextInt(8); n > 0; n--) {
            int at = r.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isSurrogate(c)) {
                s.append(alphabet, Character.isHighSurrogate(c) ? at : at - 1, (Character.isHighSurrogate(c) ? at : at - 1) + 2);
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    @Test
    void aParsersLimitIsQuotedWithoutItsJavaNames() {
        assertThatThrownBy(() -> JsonTrees.read(("[".repeat(100) + "]".repeat(100)).getBytes(StandardCharsets.UTF_8)))
                .satisfies(e -> assertThat(JsonTrees.problem(e.getMessage()))
                        .isEqualTo("Document nesting depth (65) exceeds the maximum allowed (64)"));
        assertThat(JsonTrees.problem("one\ntwo")).isEqualTo("one");
        assertThat(JsonTrees.problem(null)).isEmpty();
    }
}
