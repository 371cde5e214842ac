package dev.distrolix.inspect.audit;

import dev.distrolix.image.Platform;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Auditor} found in one image: the findings (most severe first), dive's efficiency
 * figures, and a few counts that show how much was looked at.
 *
 * @param image        the reference as given
 * @param digest       manifest digest ({@code sha256:…}), or the config digest for a docker-archive
 * @param platform     what the image's config says it is built for
 * @param indexPlatform the platform an index lists the image under; null for an image not read from an index
 * @param files        entries of the merged filesystem that are not directories (as inspect and compare count)
 * @param bytes        bytes of its regular files
 * @param elfFiles     ELF files read (programs and libraries)
 */
public record AuditReport(String image, String digest, Platform platform, Platform indexPlatform, int layers, int files, long bytes, int elfFiles, List<Finding> findings,
                          Efficiency efficiency) {
    /** dive's figures, see {@link LayerEfficiency}. */
    public record Efficiency(double efficiency, long wastedBytes, double userWastedShare, List<WastedPath> topWasted) {}

    /** A path found in several layers. */
    public record WastedPath(String path, int layers, long bytes) {}

    /** Most severe first, then by id and message. */
    // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (5-8 ms at first use)
    public static final Comparator<Finding> ORDER = (a, b) -> {
        int c = b.severity().compareTo(a.severity());
        if (c == 0) {
            c = a.id().compareTo(b.id());
        }
        return c != 0 ? c : a.message().compareTo(b.message());
    };

    public AuditReport {
        findings = findings.stream().sorted(ORDER).toList();
    }

    /** Findings per severity, every severity present (0 when none). */
    public Map<Severity, Integer> counts() {
        Map<Severity, Integer> m = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            m.put(s, 0);
        }
        findings.forEach(f -> m.merge(f.severity(), 1, Integer::sum));
        return m;
    }

    /** The findings with this id. */
    public List<Finding> withId(String id) {
        return findings.stream().filter(f -> f.id().equals(id)).toList();
    }

    public AuditReport withFindings(List<Finding> kept) {
        return new AuditReport(image, digest, platform, indexPlatform, layers, files, bytes, elfFiles, kept, efficiency);
    }
}
