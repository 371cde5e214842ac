package dev.distrolix.rootfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders /etc/passwd and /etc/group from declared accounts without running anything (no
 * useradd, no VM). root (0:0) is always present; entries are sorted by id so the bytes are stable.
 */
public final class AccountsFiles {
    public record User(String name, int uid, int gid, String gecos, String home, String shell) {}

    public record Group(String name, int gid, List<String> members) {
        public Group {
            members = List.copyOf(members);
        }
    }

    public static final String NO_LOGIN = "/sbin/nologin";

    private AccountsFiles() {}

    public static byte[] passwd(List<User> users) {
        List<User> all = new ArrayList<>(users);
        if (all.stream().noneMatch(u -> u.uid() == 0 || u.name().equals("root"))) {
            all.add(new User("root", 0, 0, "root", "/root", NO_LOGIN));
        }
        // written out: Comparator.comparing's lambdas, made in the JDK, are not in the start-up archive (5-8 ms at first use)
        all.sort((a, b) -> a.uid() != b.uid() ? Integer.compare(a.uid(), b.uid()) : a.name().compareTo(b.name()));
        StringBuilder sb = new StringBuilder();
        for (User u : all) {
            sb.append(u.name()).append(":x:").append(u.uid()).append(':').append(u.gid()).append(':')
                    .append(u.gecos()).append(':').append(u.home()).append(':').append(u.shell()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] group(List<Group> groups) {
        List<Group> all = new ArrayList<>(groups);
        if (all.stream().noneMatch(g -> g.gid() == 0 || g.name().equals("root"))) {
            all.add(new Group("root", 0, List.of()));
        }
        all.sort((a, b) -> a.gid() != b.gid() ? Integer.compare(a.gid(), b.gid()) : a.name().compareTo(b.name()));
        StringBuilder sb = new StringBuilder();
        for (Group g : all) {
            sb.append(g.name()).append(":x:").append(g.gid()).append(':')
                    .append(String.join(",", g.members())).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
