package dev.distrolix.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec document as read from YAML or JSON, before any meaning is given to it: maps, lists and scalars,
 * each with the location of its first character. Keeping our own tree (instead of Jackson's JsonNode) is what
 * lets every later error name a line and column.
 */
sealed interface SpecNode permits SpecNode.Scalar, SpecNode.ListNode, SpecNode.MapNode {
    SourceLocation location();

    /** A short description of what this node is, for "expected a list, found a map". */
    String describe();

    enum ScalarKind { STRING, INTEGER, FLOAT, TRUE, FALSE, NULL }

    /**
     * A scalar with the text it was written as. Numbers keep their source text, so that YAML's {@code 0755}
     * or {@code 1.10} reach the binders unchanged instead of as 493 or 1.1.
     */
    record Scalar(SourceLocation location, ScalarKind kind, String text) implements SpecNode {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a decimal number";
                case TRUE, FALSE -> "a boolean";
                case NULL -> "null";
            };
        }
    }

    record ListNode(SourceLocation location, List<SpecNode> items) implements SpecNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** One key of a map: the key text, where the key was written, and its value. */
    record Entry(String key, SourceLocation keyLocation, SpecNode value) {
    }

    /** A map in file order. Keys are unique: the reader rejects duplicates. */
    record MapNode(SourceLocation location, Map<String, Entry> entries) implements SpecNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a map";
        }
    }
}
