package dev.distrolix.spec;

import dev.distrolix.spec.SpecNode.Entry;
import dev.distrolix.spec.SpecNode.MapNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A map node with its key path: key checking with spelling suggestions, and typed access to its values. */
record SpecMap(MapNode node, KeyPath path) {

    SourceLocation location() {
        return node.location();
    }

    SpecException error(String problem) {
        return new SpecException(node.location(), path.toString(), problem);
    }

    /**
     * Rejects the first key not in {@code allowed}, suggesting the closest allowed key. Called before
     * anything else is read from the map, so a misspelt key is reported as such, not as a missing one.
     */
    SpecMap allowOnly(String... allowed) {
        for (Entry entry : node.entries().values()) {
            if (Arrays.stream(allowed).noneMatch(entry.key()::equals)) {
                String hint = Suggestions.closest(entry.key(), Arrays.asList(allowed))
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse(" (expected one of: " + String.join(", ", allowed) + ")");
                throw new SpecException(entry.keyLocation(), path.toString(),
                        "unknown key '" + entry.key() + "'" + hint);
            }
        }
        return this;
    }

    /** The value of a key; an explicit null counts as absent, as Nix's toJSON writes null for unset options. */
    Optional<SpecValue> get(String key) {
        Entry entry = node.entries().get(key);
        if (entry == null) {
            return Optional.empty();
        }
        SpecValue value = new SpecValue(entry.value(), path.key(key));
        return value.isNull() ? Optional.empty() : Optional.of(value);
    }

    boolean has(String key) {
        return get(key).isPresent();
    }

    SpecValue require(String key) {
        Entry entry = node.entries().get(key);
        if (entry == null) {
            throw error("missing required key '" + key + "'");
        }
        SpecValue value = new SpecValue(entry.value(), path.key(key));
        if (value.isNull()) {
            throw value.error("must not be null");
        }
        return value;
    }

    Optional<String> optionalString(String key) {
        return get(key).map(SpecValue::nonEmptyString);
    }

    /** Where a key was written, for errors about the key rather than its value. */
    SourceLocation keyLocation(String key) {
        Entry entry = node.entries().get(key);
        return entry == null ? node.location() : entry.keyLocation();
    }

    /** All entries in file order, null values included (a map of env values may want to reject them). */
    List<KeyedValue> entries() {
        List<KeyedValue> out = new ArrayList<>();
        for (Entry e : node.entries().values()) {
            out.add(new KeyedValue(e.key(), e.keyLocation(), new SpecValue(e.value(), path.key(e.key()))));
        }
        return out;
    }

    record KeyedValue(String key, SourceLocation keyLocation, SpecValue value) {
    }
}
