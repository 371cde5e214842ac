package dev.distrolix.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distrolix.image.ContainerConfig;
import dev.distrolix.blob.Digest;
import dev.distrolix.image.HistoryEntry;
import dev.distrolix.image.Platform;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The parts of an image config (OCI or Docker, same shape) that inspect, compare and diff use. */
record ConfigReader(JsonNode json, Platform platform, Instant created, ContainerConfig config,
                    List<HistoryEntry> history, List<Digest> diffIds) {

    /** As the image model holds it. */
    dev.distrolix.image.ImageConfig imageConfig() {
        return new dev.distrolix.image.ImageConfig(created, platform, config, diffIds, history);
    }

    static ConfigReader read(Json j, JsonNode c) {
        if (!c.isObject()) {
            throw j.error("the config is not a JSON object");
        }
        Platform platform = Json.platform(c);
        if (platform == null) { // old images may lack architecture/os; not worth refusing them
            platform = Platform.of(orUnknown(c.path("architecture").asText("")), orUnknown(c.path("os").asText("")));
        }
        JsonNode rootfs = c.get("rootfs");
        if (rootfs == null || !rootfs.has("diff_ids") || !rootfs.get("diff_ids").isArray()) {
            throw j.error("the config has no rootfs.diff_ids");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode d : rootfs.get("diff_ids")) {
            diffIds.add(j.digest(d.asText(), "config rootfs.diff_ids"));
        }
        List<HistoryEntry> history = new ArrayList<>();
        for (JsonNode h : c.path("history")) {
            history.add(new HistoryEntry(instant(h.get("created")), textOrNull(h.get("created_by")),
                    textOrNull(h.get("comment")), h.path("empty_layer").asBoolean(false)));
        }
        return new ConfigReader(c, platform, instant(c.get("created")), containerConfig(j, c.path("config")), history,
                diffIds);
    }

    private static ContainerConfig containerConfig(Json j, JsonNode c) {
        ContainerConfig.Builder b = ContainerConfig.builder();
        if (!c.isObject()) {
            return b.build();
        }
        try {
            b.user(textOrNull(c.get("User")));
            c.path("ExposedPorts").fieldNames().forEachRemaining(b::exposedPort);
            // Docker accepts a bare "NAME" (unset); keep only KEY=VALUE entries, which is what runs.
            b.env(strings(c.get("Env")).stream().filter(e -> e.indexOf('=') > 0).toList());
            b.entrypoint(strings(c.get("Entrypoint")));
            b.cmd(strings(c.get("Cmd")));
            c.path("Volumes").fieldNames().forEachRemaining(b::volume);
            b.workingDir(textOrNull(c.get("WorkingDir")));
            c.path("Labels").fields().forEachRemaining(e -> b.label(e.getKey(), e.getValue().asText()));
            b.stopSignal(textOrNull(c.get("StopSignal")));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw j.error("config: " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a != null && a.isArray()) {
            a.forEach(n -> out.add(n.asText()));
        } else if (a != null && a.isTextual()) {
            out.add(a.asText());
        }
        return out;
    }

    private static String orUnknown(String s) {
        return s.isBlank() ? "unknown" : s;
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Instant instant(JsonNode n) {
        if (n == null || !n.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(n.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null; // a malformed timestamp is not worth refusing an image over
        }
    }
}
