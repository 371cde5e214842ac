package dev.distrolix.cli;

import dev.distrolix.build.BuildResult;
import dev.distrolix.build.ImageBuild;
import java.util.Locale;

/** Human-readable sizes and the build summary table. */
final class Sizes {
    private Sizes() {}

    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String summary(BuildResult r) {
        StringBuilder sb = new StringBuilder();
        if (r.platforms().isEmpty()) {
            layerTable(sb, r.layers());
        } else {
            for (BuildResult.PlatformImage p : r.platforms()) {
                sb.append(p.platform()).append("  ").append(p.manifestDigest()).append('\n');
                layerTable(sb, p.layers());
            }
        }
        sb.append("image    ").append(r.imageName()).append(':').append(r.tag()).append('\n');
        sb.append("target   ").append(r.target()).append('\n');
        sb.append(r.platforms().isEmpty() ? "digest   " : "index    ").append(r.manifestDigest());
        return sb.toString();
    }

    private static void layerTable(StringBuilder sb, java.util.List<BuildResult.LayerSummary> layers) {
        // FATE is as wide as its longest word ("registry" is two wider than "cached" and "built")
        int fate = Math.max(6, layers.stream().mapToInt(l -> l.fate().length()).max().orElse(6)) + 1;
        String row = "%-6s %-14s %10s %10s  %-" + fate + "s%s%n";
        sb.append(String.format(Locale.ROOT, row, "LAYER", "DIGEST", "SIZE", "UNPACKED", "FATE", "CONTENT"));
        int i = 1;
        long size = 0;
        long unpacked = 0;
        for (BuildResult.LayerSummary l : layers) {
            String content = l.storePaths().isEmpty() ? "(" + ImageBuild.describeDeclared(l.declaredPaths()) + ")"
                    : shortNames(l.storePaths());
            sb.append(String.format(Locale.ROOT, row, i++, l.digest().hex().substring(0, 12),
                    human(l.size()), human(l.uncompressedSize()), l.fate(), content));
            size += l.size();
            unpacked += l.uncompressedSize();
        }
        sb.append(String.format(Locale.ROOT, "%-6s %-14s %10s %10s%n", "total", "", human(size), human(unpacked)));
    }

    /** Store paths' names (without the hash) up to 60 characters, then how many more: "…+2" when 2 are not shown. */
    static String shortNames(java.util.List<String> storePaths) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (String p : storePaths) {
            String base = p.substring(p.lastIndexOf('/') + 1);
            String name = base.length() > 33 ? base.substring(33) : base;
            if (shown > 0 && sb.length() + 1 + name.length() > 60) {
                sb.append(" …+").append(storePaths.size() - shown);
                break;
            }
            sb.append(shown == 0 ? "" : " ").append(name);
            shown++;
        }
        return sb.toString();
    }
}
