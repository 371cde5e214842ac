package dev.distrolix.spec;

import dev.distrolix.spec.SpecNode.Entry;
import dev.distrolix.spec.SpecNode.ListNode;
import dev.distrolix.spec.SpecNode.MapNode;
import dev.distrolix.spec.SpecNode.Scalar;
import dev.distrolix.spec.SpecNode.ScalarKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The spec tree's nodes as {@link ImageSpecBuilder} and its option classes make them: located in code. */
final class SpecNodes {
    static final SourceLocation AT = SourceLocation.inCode(ImageSpecBuilder.NAME);

    private SpecNodes() {
    }

    static Scalar str(String text) {
        return text == null ? new Scalar(AT, ScalarKind.NULL, "null") : new Scalar(AT, ScalarKind.STRING, text);
    }

    static Scalar integer(long value) {
        return new Scalar(AT, ScalarKind.INTEGER, Long.toString(value));
    }

    static ListNode list(List<? extends SpecNode> items) {
        return new ListNode(AT, List.copyOf(items));
    }

    static MapNode map(Map<String, SpecNode> values) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        values.forEach((k, v) -> entries.put(k, new Entry(k, AT, v)));
        return new MapNode(AT, entries);
    }

    static Scalar yes() {
        return new Scalar(AT, ScalarKind.TRUE, "true");
    }
}
