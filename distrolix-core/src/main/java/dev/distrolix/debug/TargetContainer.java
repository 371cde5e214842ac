package dev.distrolix.debug;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Objects;

/**
 * The container being debugged, as {@code podman/docker container inspect} describes it.
 *
 * @param id      the full id
 * @param name    its name (Docker's leading '/' dropped)
 * @param running whether it has processes (only then are there namespaces to join)
 * @param status  the engine's word for its state: running, created, exited, paused, …
 * @param user    the configured user ({@code Config.User}: "", "root", "1000", "nginx:nginx", …)
 * @param ipcMode {@code HostConfig.IpcMode}: another container may join it only when "shareable"
 * @param pid     its main process as the engine's host sees it ({@code State.Pid}; 0 when not running)
 */
public record TargetContainer(String id, String name, boolean running, String status, String user, String ipcMode,
                              long pid) {
    public TargetContainer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        status = status == null ? "" : status;
        user = user == null ? "" : user;
        ipcMode = ipcMode == null ? "" : ipcMode;
    }

    /** Parses the JSON array that {@code container inspect} prints (podman 4 and Docker have this shape). */
    public static TargetContainer parseInspect(String json) {
        JsonNode root;
        try {
            root = dev.distrolix.json.JsonTrees.read(json);
        } catch (IOException e) {
            throw new DebugException("unexpected container inspect output: " + e.getMessage(), e);
        }
        JsonNode c = root.isArray() ? root.path(0) : root;
        if (!c.isObject() || !c.hasNonNull("Id")) {
            throw new DebugException("unexpected container inspect output (no Id)");
        }
        String name = c.path("Name").asText("");
        if (name.startsWith("/")) {
            name = name.substring(1);
        }
        JsonNode state = c.path("State");
        return new TargetContainer(c.get("Id").asText(), name.isEmpty() ? c.get("Id").asText() : name,
                state.path("Running").asBoolean(false), state.path("Status").asText(""),
                c.path("Config").path("User").asText(""), c.path("HostConfig").path("IpcMode").asText(""),
                state.path("Pid").asLong(0));
    }

    /** Whether the engine lets another container join this one's IPC namespace. */
    public boolean ipcShareable() {
        return ipcMode.equals("shareable");
    }
}
