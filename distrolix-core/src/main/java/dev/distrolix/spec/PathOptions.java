package dev.distrolix.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Mode and owner of a path in {@link ImageSpecBuilder}; {@code interpolate} for sources. */
public final class PathOptions {
    final Map<String, SpecNode> keys = new LinkedHashMap<>();

    PathOptions() {
    }

    /** Permission bits, written in Java as an octal literal: {@code mode(01777)}. */
    public PathOptions mode(int mode) {
        keys.put("mode", SpecNodes.str(Integer.toOctalString(mode)));
        return this;
    }

    /** A declared user's name. */
    public PathOptions owner(String user) {
        keys.put("owner", SpecNodes.str(user));
        return this;
    }

    public PathOptions owner(int uid) {
        keys.put("owner", SpecNodes.integer(uid));
        return this;
    }

    /** A declared group's name. */
    public PathOptions group(String group) {
        keys.put("group", SpecNodes.str(group));
        return this;
    }

    public PathOptions group(int gid) {
        keys.put("group", SpecNodes.integer(gid));
        return this;
    }

    /** Renders the source file's {@code ${…}} placeholders (sources only). */
    public PathOptions interpolate() {
        keys.put("interpolate", SpecNodes.yes());
        return this;
    }
}
