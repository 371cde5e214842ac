package dev.distrolix.spec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** In {@link ImageSpecBuilder}: a user's primary group (by name or gid), home, shell, gecos and supplementary groups. */
public final class UserOptions {
    final Map<String, SpecNode> keys = new LinkedHashMap<>();

    UserOptions() {
    }

    public UserOptions group(String group) {
        keys.put("group", SpecNodes.str(group));
        return this;
    }

    public UserOptions gid(int gid) {
        keys.put("gid", SpecNodes.integer(gid));
        return this;
    }

    public UserOptions home(String home) {
        keys.put("home", SpecNodes.str(home));
        return this;
    }

    public UserOptions shell(String shell) {
        keys.put("shell", SpecNodes.str(shell));
        return this;
    }

    public UserOptions gecos(String gecos) {
        keys.put("gecos", SpecNodes.str(gecos));
        return this;
    }

    public UserOptions groups(String... groups) {
        keys.put("groups", SpecNodes.list(Arrays.stream(groups).map(SpecNodes::str).toList()));
        return this;
    }
}
