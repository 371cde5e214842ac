package dev.distrolix.inspect.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.InputException;
import dev.distrolix.Printable;
import dev.distrolix.SmallFiles;
import dev.distrolix.json.BoundedYamlFactory;
import dev.distrolix.json.JsonTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What makes an audit fail a CI step: the lowest failing severity, findings to ignore, and
 * dive-style thresholds. Read from a YAML file (conventionally {@code .distrolix-audit.yaml}):
 *
 * <pre>
 * fail-on: high                 # info | low | medium | high | critical | none (default: high)
 * min-efficiency: 0.95          # dive's efficiency, 0..1
 * max-wasted-bytes: 20MB        # bytes of paths found in 2+ layers (B, kB/MB/GB, KiB/MiB/GiB)
 * ignore:
 *   - id: runs-as-root          # every finding of this id
 *     reason: the master binds port 80
 *   - id: shell                 # only these paths of it
 *     path: /nix/store/*-busybox-*&#47;bin/**
 *   - path: /usr/bin/perl*      # these paths, whatever the finding
 * </pre>
 *
 * Globs are matched against the image path of each proof line ({@code *} stays within one
 * directory, {@code **} crosses them); a finding whose paths are all ignored is ignored. A
 * finding with no paths (runs-as-root, no-command) can only be ignored by id.
 */
public record AuditPolicy(Severity failOn, Double minEfficiency, Long maxWastedBytes, List<Ignore> ignores) {
    public static final String DEFAULT_FILE = ".distrolix-audit.yaml";
    public static final Severity DEFAULT_FAIL_ON = Severity.HIGH;
    /** A policy is a few lines; these bound what a hostile one costs to read. */
    private static final int MAX_BYTES = 1 << 20;
    private static final int MAX_ALIASES = 50;
    private static final int MAX_DEPTH = 32;
    private static final Set<String> KEYS = Set.of("fail-on", "min-efficiency", "max-wasted-bytes", "ignore");
    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]*)");

    /** One ignore rule: an id, a path glob, or both. */
    public record Ignore(String id, String path, String reason) {
        boolean matchesId(Finding f) {
            return id == null || id.equals(f.id());
        }

        boolean matchesPath(String imagePath) {
            return Glob.parse(path).matches(imagePath); // linear time: no regex to backtrack
        }
    }

    public AuditPolicy {
        ignores = List.copyOf(ignores);
    }

    public static AuditPolicy defaults() {
        return new AuditPolicy(DEFAULT_FAIL_ON, null, null, List.of());
    }

    public AuditPolicy withFailOn(Severity s) {
        return new AuditPolicy(s, minEfficiency, maxWastedBytes, ignores);
    }

    public AuditPolicy withMinEfficiency(Double v) {
        return new AuditPolicy(failOn, v, maxWastedBytes, ignores);
    }

    public AuditPolicy withMaxWastedBytes(Long v) {
        return new AuditPolicy(failOn, minEfficiency, v, ignores);
    }

    /** Reads a policy file; every mistake is an {@link InputException} naming the file and key. */
    public static AuditPolicy load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = SmallFiles.read(file, MAX_BYTES, "an audit policy");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        }
        JsonNode root;
        try {
            // read to its end: a second document, or what YAML does not allow after the first, is refused
            root = new ObjectMapper(new BoundedYamlFactory(BoundedYamlFactory.limits(MAX_ALIASES, MAX_DEPTH, MAX_BYTES)))
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(new ByteArrayInputStream(bytes));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw notYaml(file, e);
        } catch (java.io.CharConversionException e) { // bytes that are not UTF-8, found as the text is decoded
            throw new InputException(file + ": not valid YAML (" + Printable.shown(JsonTrees.problem(e.getMessage()), 200)
                    + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults();
        }
        if (!root.isObject()) {
            throw new InputException(file + ": expected a mapping with " + String.join(", ", sorted(KEYS)));
        }
        checkKeys(root, KEYS, file + "");
        Severity failOn = root.has("fail-on") ? Severity.parseOrNone(root.get("fail-on").asText(), file + ": fail-on")
                : DEFAULT_FAIL_ON;
        Double minEff = null;
        if (root.has("min-efficiency")) {
            JsonNode n = root.get("min-efficiency");
            if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 1) {
                throw new InputException(file + ": min-efficiency: expected a number from 0 to 1, got '"
                        + Printable.shown(n.asText(), 80) + "'");
            }
            minEff = n.asDouble();
        }
        Long maxWasted = root.has("max-wasted-bytes") ? parseSize(root.get("max-wasted-bytes").asText(),
                file + ": max-wasted-bytes") : null;
        List<Ignore> ignores = new ArrayList<>();
        if (root.has("ignore")) {
            JsonNode list = root.get("ignore");
            if (!list.isArray()) {
                throw new InputException(file + ": ignore: expected a list of {id, path, reason}");
            }
            int i = 0;
            for (JsonNode item : list) {
                String where = file + ": ignore[" + i++ + "]";
                if (!item.isObject()) {
                    throw new InputException(where + ": expected a mapping with id and/or path");
                }
                checkKeys(item, Set.of("id", "path", "reason"), where);
                String id = item.has("id") ? item.get("id").asText() : null;
                String path = item.has("path") ? item.get("path").asText() : null;
                if (id == null && path == null) {
                    throw new InputException(where + ": needs an id, a path, or both");
                }
                if (id != null && Rule.byId(id) == null) {
                    throw new InputException(where + ": unknown finding id '" + Printable.shown(id, 80) + "' (known: "
                            + Arrays.stream(Rule.values()).map(Rule::id).collect(Collectors.joining(", ")) + ")");
                }
                if (path != null) {
                    try {
                        Glob.parse(path);
                    } catch (InputException e) {
                        throw new InputException(where + ": path: not a glob (" + e.getMessage() + ")");
                    }
                }
                ignores.add(new Ignore(id, path, item.has("reason") ? item.get("reason").asText() : null));
            }
        }
        return new AuditPolicy(failOn, minEff, maxWasted, ignores);
    }

    /** Bytes from "123", "20MB", "1.5 GiB", "512kB". */
    public static long parseSize(String text, String where) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new InputException(where + ": '" + Printable.shown(text, 80)
                    + "' is not a size (e.g. 20MB, 512KiB, 1000000)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "", "b" -> 1L;
            case "kb", "k" -> 1000L;
            case "mb", "m" -> 1000_000L;
            case "gb", "g" -> 1000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> throw new InputException(where + ": unknown unit '" + Printable.shown(m.group(2), 20)
                    + "' (B, kB, MB, GB, KiB, MiB, GiB)");
        };
        return Math.round(v * mult);
    }

    /** The report with the ignore rules applied, and what it means for a CI step. */
    public AuditVerdict apply(AuditReport report) {
        List<Finding> kept = new ArrayList<>();
        List<Finding> ignored = new ArrayList<>();
        for (Finding f : report.findings()) {
            if (ignores.stream().anyMatch(r -> r.path() == null && r.matchesId(f))) {
                ignored.add(f);
                continue;
            }
            List<String> paths = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            for (String proof : f.paths()) {
                String p = Finding.pathOf(proof);
                boolean drop = ignores.stream().anyMatch(r -> r.path() != null && r.matchesId(f) && r.matchesPath(p));
                (drop ? dropped : paths).add(proof);
            }
            if (!f.paths().isEmpty() && paths.isEmpty()) {
                ignored.add(f);
            } else {
                kept.add(dropped.isEmpty() ? f : f.withPaths(paths));
                if (!dropped.isEmpty()) {
                    ignored.add(f.withPaths(dropped));
                }
            }
        }
        List<Finding> failing = failOn == null ? List.of()
                : kept.stream().filter(f -> f.severity().atLeast(failOn)).toList();
        List<String> violations = new ArrayList<>();
        AuditReport.Efficiency e = report.efficiency();
        if (minEfficiency != null && e.efficiency() < minEfficiency) {
            violations.add(String.format(Locale.ROOT, "efficiency %.4f is below min-efficiency %.4f", e.efficiency(),
                    minEfficiency));
        }
        if (maxWastedBytes != null && e.wastedBytes() > maxWastedBytes) {
            violations.add("wasted bytes " + e.wastedBytes() + " exceed max-wasted-bytes " + maxWastedBytes);
        }
        return new AuditVerdict(report.withFindings(kept), ignored, this, failing, violations);
    }

    /** SnakeYAML's or Jackson's complaint in one line, at its line and column where it has one. */
    private static InputException notYaml(Path file, com.fasterxml.jackson.core.JsonProcessingException e) {
        MarkedYAMLException marked = null;
        for (Throwable c = e; c != null && marked == null; c = c.getCause()) {
            marked = c instanceof MarkedYAMLException m ? m : null;
        }
        Mark mark = marked == null ? null
                : marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
        String where = mark == null ? file.toString() : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        String problem = marked != null ? marked.getProblem() : JsonTrees.problem(e.getOriginalMessage());
        return new InputException(where + ": not valid YAML (" + Printable.shown(
                String.valueOf(problem).strip().replaceAll("\\s+", " "), 200) + ")");
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new InputException(where + ": unknown key '" + Printable.shown(k, 80) + "' (expected "
                        + String.join(", ", sorted(allowed)) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
