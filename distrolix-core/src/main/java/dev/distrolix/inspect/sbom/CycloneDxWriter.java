package dev.distrolix.inspect.sbom;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * CycloneDX 1.6 JSON through the official cyclonedx-core-java model and generator. The image is
 * {@code metadata.component} (type container, bom-ref "image"); each store path is a library
 * component whose bom-ref is its base name, with its purl, the SHA-256 of its NAR serialization
 * (Nix's narHash, hex) and properties {@code nix:store-path}, {@code nix:nar-hash} (SRI) and
 * {@code nix:size}; {@code dependencies} hold the scanned reference graph, the image depending on
 * the roots. The serial number is a UUID derived from the image digest (same image, same serial).
 */
public final class CycloneDxWriter {
    public static final Version VERSION = Version.VERSION_16;

    private CycloneDxWriter() {}

    public static String write(ImageSbom sbom, Instant timestamp, String toolVersion) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("distrolix-sbom:" + sbom.digest()).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        Metadata md = new Metadata();
        md.setTimestamp(Date.from(timestamp));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("distrolix");
        tool.setVersion(toolVersion);
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        md.setToolChoice(tools);
        Component image = new Component();
        image.setType(Component.Type.CONTAINER);
        image.setBomRef("image");
        image.setName(sbom.name());
        image.setVersion(sbom.digest());
        image.addProperty(property("distrolix:graph", sbom.check().summary()));
        md.setComponent(image);
        bom.setMetadata(md);

        List<Component> components = new ArrayList<>();
        for (ImageSbom.Component c : sbom.components()) {
            Component comp = new Component();
            comp.setType(Component.Type.LIBRARY);
            comp.setBomRef(c.baseName());
            comp.setName(c.name());
            if (!c.version().isEmpty()) {
                comp.setVersion(c.version());
            }
            comp.setPurl(c.purl());
            if (c.narHash() != null) {
                comp.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, c.narHash().hex())));
                comp.addProperty(property("nix:nar-hash", c.narHashSri()));
            }
            comp.addProperty(property("nix:store-path", c.storePath()));
            comp.addProperty(property("nix:size", Long.toString(c.size())));
            components.add(comp);
        }
        bom.setComponents(components);

        List<Dependency> deps = new ArrayList<>();
        Dependency top = new Dependency("image");
        sbom.roots().forEach(r -> top.addDependency(new Dependency(r)));
        deps.add(top);
        sbom.dependencies().forEach((from, tos) -> {
            Dependency d = new Dependency(from);
            tos.forEach(t -> d.addDependency(new Dependency(t)));
            deps.add(d);
        });
        bom.setDependencies(deps);
        try {
            return BomGeneratorFactory.createJson(VERSION, bom).toJsonString();
        } catch (GeneratorException e) {
            throw new IllegalStateException("CycloneDX generation failed: " + e.getMessage(), e);
        }
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value);
        return p;
    }
}
