package dev.distrolix.inspect.sbom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.UUID;

/**
 * CycloneDX 1.6 JSON. The image is {@code metadata.component} (type container, bom-ref "image"); each
 * store path is a library component whose bom-ref is its base name, with its purl, the SHA-256 of its
 * NAR serialization (Nix's narHash, hex) and properties {@code nix:store-path}, {@code nix:nar-hash}
 * (SRI) and {@code nix:size}; {@code dependencies} hold the scanned reference graph, the image
 * depending on the roots. The serial number is a UUID derived from the image digest (same image, same
 * serial).
 *
 * <p>Written with Jackson's streaming generator, byte for byte what cyclonedx-core-java's model and
 * generator write for the same BOM (its tests compare the two and validate against its schema): that
 * library's bean serializers cost a signing build ~0.1 s of a cold start for a few kB of JSON.
 */
public final class CycloneDxWriter {
    /** The CycloneDX specification version written. */
    public static final String SPEC_VERSION = "1.6";
    private static final JsonFactory JSON = new JsonFactory();
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");

    private CycloneDxWriter() {}

    public static String write(ImageSbom sbom, Instant timestamp, String toolVersion) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            // as the library indents: arrays broken over lines too, an empty one "[ ]"
            g.setPrettyPrinter(new DefaultPrettyPrinter().withArrayIndenter(new DefaultIndenter("  ", "\n"))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n")));
            g.writeStartObject();
            g.writeStringField("bomFormat", "CycloneDX");
            g.writeStringField("specVersion", SPEC_VERSION);
            g.writeStringField("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(
                    ("distrolix-sbom:" + sbom.digest()).getBytes(StandardCharsets.UTF_8)));
            g.writeNumberField("version", 1);
            metadata(g, sbom, timestamp, toolVersion);
            if (!sbom.components().isEmpty()) { // the library leaves an empty list out
                g.writeArrayFieldStart("components");
                for (ImageSbom.Component c : sbom.components()) {
                    component(g, c);
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("dependencies");
            dependency(g, "image", sbom.roots());
            for (var d : sbom.dependencies().entrySet()) {
                dependency(g, d.getKey(), d.getValue());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void metadata(JsonGenerator g, ImageSbom sbom, Instant timestamp, String toolVersion)
            throws IOException {
        g.writeObjectFieldStart("metadata");
        g.writeStringField("timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
        g.writeObjectFieldStart("tools");
        g.writeArrayFieldStart("components");
        g.writeStartObject();
        g.writeStringField("type", "application");
        g.writeStringField("name", "distrolix");
        g.writeStringField("version", text(toolVersion));
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("component");
        g.writeStringField("type", "container");
        g.writeStringField("bom-ref", "image");
        g.writeStringField("name", text(sbom.name()));
        g.writeStringField("version", text(sbom.digest()));
        g.writeArrayFieldStart("properties");
        property(g, "distrolix:graph", sbom.check().summary());
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void component(JsonGenerator g, ImageSbom.Component c) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "library");
        g.writeStringField("bom-ref", text(c.baseName()));
        g.writeStringField("name", text(c.name()));
        if (!c.version().isEmpty()) {
            g.writeStringField("version", text(c.version()));
        }
        if (c.narHash() != null) {
            g.writeArrayFieldStart("hashes");
            g.writeStartObject();
            g.writeStringField("alg", "SHA-256");
            g.writeStringField("content", c.narHash().hex());
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeStringField("purl", text(c.purl()));
        g.writeArrayFieldStart("properties");
        if (c.narHash() != null) {
            property(g, "nix:nar-hash", c.narHashSri());
        }
        property(g, "nix:store-path", c.storePath());
        property(g, "nix:size", Long.toString(c.size()));
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void dependency(JsonGenerator g, String ref, Collection<String> dependsOn) throws IOException {
        g.writeStartObject();
        g.writeStringField("ref", ref);
        g.writeArrayFieldStart("dependsOn");
        for (String d : dependsOn) {
            g.writeString(d);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * A string value as the library writes it (dependency refs excepted): trimmed, line breaks and tabs as
     * spaces, a run of spaces as one. Store paths, references and versions hold none of these.
     */
    private static String text(String s) {
        String t = s.trim().replace("\r\n", " ").replace("\n", " ").replace("\t", " ").replace("\r", " ");
        return t.indexOf("  ") < 0 ? t : SPACES.matcher(t).replaceAll(" ");
    }

    private static void property(JsonGenerator g, String name, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", text(name));
        g.writeStringField("value", text(value));
        g.writeEndObject();
    }
}
