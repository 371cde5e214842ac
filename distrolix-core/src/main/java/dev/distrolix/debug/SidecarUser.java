package dev.distrolix.debug;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numeric user (and group) the sidecar runs as. Numeric because the toolkit has its own
 * /etc/passwd: a user name from the target's passwd would mean nothing there.
 *
 * @param gid the group, or null to let the engine choose (as {@code --user UID} does)
 */
public record SidecarUser(long uid, Long gid) {
    public static final SidecarUser ROOT = new SidecarUser(0, 0L);
    private static final Pattern NUMERIC = Pattern.compile("(\\d+)(?::(\\d+))?");

    public SidecarUser {
        if (uid < 0 || (gid != null && gid < 0)) {
            throw new IllegalArgumentException("uid and gid must not be negative");
        }
    }

    public boolean isRoot() {
        return uid == 0;
    }

    /** The value of the engines' {@code --user}: UID:GID, or UID when no group was given. */
    public String flag() {
        return gid == null ? Long.toString(uid) : uid + ":" + gid;
    }

    /** Parses a {@code --user} option: UID or UID:GID (a name would not resolve in the toolkit). */
    public static SidecarUser parseOption(String s) {
        Matcher m = NUMERIC.matcher(s.strip());
        if (!m.matches()) {
            throw new dev.distrolix.InputException("--user '" + s + "': expected UID or UID:GID in numbers"
                    + " (the toolkit does not know the target's user names)");
        }
        try {
            return new SidecarUser(Long.parseLong(m.group(1)), m.group(2) == null ? null : Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw new dev.distrolix.InputException("--user '" + s + "': the number is too large");
        }
    }

    /**
     * What a target's configured user ({@code Config.User}) says on its own: root for "" and "root",
     * the numbers for UID:GID. Anything else (a name, a UID without its group, whose group the engine
     * took from the target's passwd) is empty: the running process must be asked.
     */
    public static Optional<SidecarUser> fromConfiguredUser(String configured) {
        String s = configured == null ? "" : configured.strip();
        if (s.isEmpty() || s.equals("root") || s.equals("0") || s.equals("root:root") || s.equals("0:0")) {
            return Optional.of(ROOT);
        }
        Matcher m = NUMERIC.matcher(s);
        if (m.matches() && m.group(2) != null) {
            return Optional.of(new SidecarUser(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
        return Optional.empty();
    }

    /**
     * The real uid and gid of a process as its container sees them: the ids in its {@code /proc/PID/status}
     * (as the reader's user namespace sees them) mapped back through its {@code uid_map}/{@code gid_map}
     * ("INSIDE OUTSIDE COUNT" lines; rootful podman without a user namespace maps 0 to 0 for all ids).
     */
    public static SidecarUser fromProc(String status, String uidMap, String gidMap) {
        Long uid = null;
        Long gid = null;
        for (String line : status.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals("Uid:")) {
                uid = Long.parseLong(f[1]);
            } else if (f.length >= 2 && f[0].equals("Gid:")) {
                gid = Long.parseLong(f[1]);
            }
        }
        if (uid == null || gid == null) {
            throw new IllegalArgumentException("no Uid/Gid lines in the process status");
        }
        return new SidecarUser(inside(uid, uidMap, "uid"), inside(gid, gidMap, "gid"));
    }

    static long inside(long outside, String map, String what) {
        for (String line : map.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            long in = Long.parseLong(f[0]);
            long out = Long.parseLong(f[1]);
            long count = Long.parseLong(f[2]);
            if (outside >= out && outside - out < count) {
                return in + (outside - out);
            }
        }
        throw new IllegalArgumentException(what + " " + outside + " is not mapped into the container's user namespace");
    }
}
