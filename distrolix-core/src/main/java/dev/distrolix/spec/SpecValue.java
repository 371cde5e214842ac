package dev.distrolix.spec;

import dev.distrolix.spec.SpecNode.ListNode;
import dev.distrolix.spec.SpecNode.MapNode;
import dev.distrolix.spec.SpecNode.Scalar;
import dev.distrolix.spec.SpecNode.ScalarKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A node together with the key path that led to it: the binders' way of reading a typed value, where every
 * mismatch becomes a {@link SpecException} at the node's location and path.
 */
record SpecValue(SpecNode node, KeyPath path) {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

    SourceLocation location() {
        return node.location();
    }

    SpecException error(String problem) {
        return new SpecException(node.location(), path.toString(), problem);
    }

    boolean isNull() {
        return node instanceof Scalar s && s.kind() == ScalarKind.NULL;
    }

    boolean isScalar() {
        return node instanceof Scalar s && s.kind() != ScalarKind.NULL;
    }

    boolean isList() {
        return node instanceof ListNode;
    }

    /**
     * Any non-null scalar as the text it was written as. Numbers and booleans are accepted where a string is
     * expected (env values, labels, tags), since YAML turns {@code PORT: 80} into a number behind the user's
     * back; their source text is used, so nothing is lost to number formatting.
     */
    String string() {
        if (!isScalar()) {
            throw error("expected a string, found " + node.describe());
        }
        return ((Scalar) node).text();
    }

    /** Like {@link #string()} but refusing the empty string. */
    String nonEmptyString() {
        String s = string();
        if (s.isEmpty()) {
            throw error("must not be empty");
        }
        return s;
    }

    /**
     * An integer written as a number, in [min, max]. A string of digits is refused on purpose: numeric fields
     * are numbers in both YAML and JSON, and a quoted one is more often a mistake than a wish.
     */
    long integer(long min, long max) {
        if (!(node instanceof Scalar s) || s.kind() != ScalarKind.INTEGER || !DECIMAL.matcher(s.text()).matches()) {
            String found = node.describe();
            if (node instanceof Scalar s && s.kind() == ScalarKind.STRING) {
                found = "the string \"" + ImagePaths.shown(s.text()) + "\"";
            } else if (node instanceof Scalar s && s.kind() == ScalarKind.INTEGER) {
                found = "'" + s.text() + "'"; // YAML's 0x1F or 0o17: not decimal
            }
            throw error("expected a decimal integer, found " + found);
        }
        return integer(((Scalar) node).text(), min, max);
    }

    boolean isInteger() {
        return node instanceof Scalar s && s.kind() == ScalarKind.INTEGER;
    }

    /** Decimal digits taken from this value's text (a uid in {@code "1000:1000"}), range-checked. */
    long integer(String decimal, long min, long max) {
        BigInteger value = new BigInteger(decimal);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error(value + " is out of range " + min + ".." + max);
        }
        return value.longValue();
    }

    boolean bool() {
        if (node instanceof Scalar s && (s.kind() == ScalarKind.TRUE || s.kind() == ScalarKind.FALSE)) {
            return s.kind() == ScalarKind.TRUE;
        }
        throw error("expected true or false, found " + node.describe());
    }

    SpecMap map() {
        if (!(node instanceof MapNode map)) {
            throw error("expected a map, found " + node.describe());
        }
        return new SpecMap(map, path);
    }

    List<SpecValue> list() {
        if (!(node instanceof ListNode list)) {
            throw error("expected a list, found " + node.describe());
        }
        List<SpecValue> items = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            items.add(new SpecValue(list.items().get(i), path.index(i)));
        }
        return items;
    }

    /** A list, or a single scalar standing for a one-element list ({@code volumes: /data}). */
    List<SpecValue> listOrSingle() {
        if (isScalar()) {
            return List.of(this);
        }
        if (!isList()) {
            throw error("expected a list or a string, found " + node.describe());
        }
        return list();
    }
}
