package dev.distrolix.inspect.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.distrolix.blob.Digest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * An image's software bill of materials as distrolix reads it from the image alone: one component
 * per /nix/store path (name and version split like Nix's parseDrvName, purl {@code pkg:nix/NAME@VERSION},
 * the NAR hash Nix records for it), the dependency edges reconstructed by scanning file contents
 * for store hashes, the roots (store paths named from outside the store, or by no other store
 * path), and how the scanned graph compares with the one the build recorded.
 */
public record ImageSbom(String reference, String name, String digest, Instant created, List<Component> components,
                        SortedMap<String, SortedSet<String>> dependencies, SortedSet<String> roots, GraphCheck check) {
    public ImageSbom {
        components = List.copyOf(components);
    }

    /**
     * One store path. {@code narHash} is null when it could not be computed in the pass
     * ({@code narProblem} says why).
     */
    public record Component(String baseName, String hashPart, String name, String version, long size, int files,
                            Digest narHash, String narProblem) {
        public String storePath() {
            return "/nix/store/" + baseName;
        }

        /** {@code pkg:nix/NAME@VERSION} (no version when the name has none), percent-encoded as purl requires. */
        public String purl() {
            try {
                return new PackageURL("nix", null, name, version.isEmpty() ? null : version, null, null).canonicalize();
            } catch (MalformedPackageURLException e) {
                throw new IllegalStateException("cannot make a purl of " + baseName + ": " + e.getMessage(), e);
            }
        }

        /** The NAR hash as Nix prints it in SRI form ({@code sha256-<base64>}), or null. */
        public String narHashSri() {
            return narHash == null ? null
                    : "sha256-" + java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(narHash.hex()));
        }
    }

    public Component component(String baseName) {
        return components.stream().filter(c -> c.baseName().equals(baseName)).findFirst().orElse(null);
    }
}
