package dev.distrolix.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.json.JsonTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one place where OCI JSON documents become bytes. Every digest covers exact bytes, so the
 * rules are fixed and deliberately boring:
 *
 * <ul>
 *   <li><b>Key order</b> is the order of the fields in the image-spec's Go types (which is also
 *       the order of the spec text), not alphabetical: config = created, architecture, os,
 *       variant, config, rootfs, history; manifest = schemaVersion, mediaType, config, layers,
 *       annotations; descriptor = mediaType, digest, size, annotations, platform. This makes
 *       our bytes equal to what Go tools (umoci, skopeo, containerd) print for the same value.
 *   <li><b>Map keys</b> (labels, annotations, ExposedPorts, Volumes) are sorted by unsigned
 *       UTF-8 bytes, which is Go's map-key order.
 *   <li><b>Whitespace</b>: compact — no spaces, no newlines, no trailing newline.
 *   <li><b>Escaping</b>: only what JSON requires ({@code "}, {@code \}, control characters).
 *       Unlike Go we do not turn {@code < > &} into {@code \u003c…}; non-ASCII is written as
 *       raw UTF-8. Readers treat both forms as equal; only our own bytes must be stable.
 *   <li>Absent values (null, empty collections, false {@code empty_layer}) are omitted.
 * </ul>
 */
public final class CanonicalJson {
    /** Unsigned UTF-8 byte order — Go's sort order for map keys. */
    public static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CanonicalJson() {}

    public static byte[] config(ImageConfig c) {
        ObjectNode o = F.objectNode();
        if (c.created() != null) {
            o.put("created", rfc3339(c.created()));
        }
        putPlatformFields(o, c.platform());
        if (!c.config().isEmpty()) {
            o.set("config", containerConfig(c.config()));
        }
        ObjectNode rootfs = o.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        c.diffIds().forEach(d -> diffIds.add(d.toString()));
        if (!c.history().isEmpty()) {
            ArrayNode h = o.putArray("history");
            c.history().forEach(e -> h.add(history(e)));
        }
        return bytes(o);
    }

    public static byte[] manifest(ImageManifest m) {
        ObjectNode o = F.objectNode();
        o.put("schemaVersion", 2);
        o.put("mediaType", MediaTypes.OCI_MANIFEST);
        o.set("config", descriptor(m.config()));
        ArrayNode layers = o.putArray("layers");
        m.layers().forEach(l -> layers.add(descriptor(l)));
        putMap(o, "annotations", m.annotations());
        return bytes(o);
    }

    /** The same shape as a Docker schema 2 manifest (what {@code docker push} writes; no annotations). */
    public static byte[] dockerManifest(ImageManifest m) {
        ObjectNode o = F.objectNode();
        o.put("schemaVersion", 2);
        o.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        o.set("config", descriptor(m.config()));
        ArrayNode layers = o.putArray("layers");
        m.layers().forEach(l -> layers.add(descriptor(l)));
        return bytes(o);
    }

    public static byte[] index(IndexManifest i) {
        ObjectNode o = F.objectNode();
        o.put("schemaVersion", 2);
        o.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = o.putArray("manifests");
        i.manifests().forEach(d -> manifests.add(descriptor(d)));
        putMap(o, "annotations", i.annotations());
        return bytes(o);
    }

    /** A descriptor as a JSON tree, for splicing into an index read from disk. */
    public static ObjectNode descriptor(Descriptor d) {
        ObjectNode o = F.objectNode();
        o.put("mediaType", d.mediaType());
        o.put("digest", d.digest().toString());
        o.put("size", d.size());
        putMap(o, "annotations", d.annotations());
        if (d.platform() != null) {
            ObjectNode p = o.putObject("platform");
            putPlatformFields(p, d.platform());
        }
        return o;
    }

    /**
     * Serializes any tree compactly, keeping the tree's own key order. Used for documents we
     * read and rewrite (an existing index.json), so entries we did not create keep their shape.
     */
    public static byte[] bytes(JsonNode node) {
        return JsonTrees.write(node);
    }

    /** Parses JSON, rejecting duplicate keys (an ambiguous document must not be rewritten). */
    public static JsonNode parse(byte[] json) throws IOException {
        return JsonTrees.read(json, true); // bounded as every reader of outside JSON is
    }

    /** RFC 3339 in UTC with a 'Z', e.g. {@code 1970-01-01T00:00:01Z}; sub-seconds only if set. */
    public static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** An unmodifiable sorted copy; null becomes empty. For record components. */
    public static SortedMap<String, String> sortedCopy(Map<String, String> m) {
        TreeMap<String, String> copy = new TreeMap<>(UTF8_ORDER);
        if (m != null) {
            m.forEach((k, v) -> copy.put(requireText(k, "key"), requireText(v, "value of " + k)));
        }
        return Collections.unmodifiableSortedMap(copy);
    }

    private static ObjectNode containerConfig(ContainerConfig c) {
        ObjectNode o = F.objectNode();
        putText(o, "User", c.user());
        putSet(o, "ExposedPorts", c.exposedPorts());
        putList(o, "Env", c.env());
        putList(o, "Entrypoint", c.entrypoint());
        putList(o, "Cmd", c.cmd());
        putSet(o, "Volumes", c.volumes());
        putText(o, "WorkingDir", c.workingDir());
        putMap(o, "Labels", c.labels());
        putText(o, "StopSignal", c.stopSignal());
        return o;
    }

    private static ObjectNode history(HistoryEntry h) {
        ObjectNode o = F.objectNode();
        if (h.created() != null) {
            o.put("created", rfc3339(h.created()));
        }
        putText(o, "created_by", h.createdBy());
        putText(o, "comment", h.comment());
        if (h.emptyLayer()) {
            o.put("empty_layer", true);
        }
        return o;
    }

    private static void putPlatformFields(ObjectNode o, Platform p) {
        o.put("architecture", p.architecture());
        o.put("os", p.os());
        putText(o, "variant", p.variant());
    }

    private static void putText(ObjectNode o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(key, value);
        }
    }

    private static void putList(ObjectNode o, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = o.putArray(key);
            values.forEach(a::add);
        }
    }

    /** A set in Docker's shape: an object whose keys are the members and values are {}. */
    private static void putSet(ObjectNode o, String key, Collection<String> members) {
        if (!members.isEmpty()) {
            ObjectNode s = o.putObject(key);
            members.stream().sorted(UTF8_ORDER).forEach(m -> s.putObject(m));
        }
    }

    private static void putMap(ObjectNode o, String key, Map<String, String> map) {
        if (!map.isEmpty()) {
            ObjectNode m = o.putObject(key);
            map.keySet().stream().sorted(UTF8_ORDER).forEach(k -> m.put(k, map.get(k)));
        }
    }

    private static String requireText(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException("map " + what + " must not be null");
        }
        return s;
    }
}
