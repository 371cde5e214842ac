package dev.distrolix.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.image.Image;
import dev.distrolix.inspect.sbom.CycloneDxWriter;
import dev.distrolix.inspect.sbom.SbomBuilder;
import dev.distrolix.inspect.scan.ScanCache;
import java.io.IOException;
import java.time.Instant;

/** The SBOM attestation's predicate: the CycloneDX document {@code distrolix sbom -f cyclonedx} writes. */
public final class SbomPredicate {
    private SbomPredicate() {}

    /**
     * @param reference the image as {@code distrolix sbom} would be given it ({@code docker://HOST/REPO:TAG}),
     *                  so that its output for that reference is this document
     * @param scans     the layer scans to replay and keep (null: every layer read, nothing kept)
     */
    public static JsonNode of(String reference, Image image, Instant timestamp, String version, ScanCache scans)
            throws IOException {
        String doc = CycloneDxWriter.write(SbomBuilder.build(reference, reference, image, scans), timestamp, version);
        return dev.distrolix.json.JsonTrees.read(doc);
    }
}
