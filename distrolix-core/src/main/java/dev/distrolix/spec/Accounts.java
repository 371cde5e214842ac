package dev.distrolix.spec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The users and groups written to the image's /etc/passwd and /etc/group, in that order. The loader adds
 * root (uid 0, gid 0) first unless the spec declares a root user/group itself, so lookups of "root" always
 * succeed.
 */
public record Accounts(List<Group> groups, List<User> users) {
    public static final Group ROOT_GROUP = new Group("root", 0);
    public static final User ROOT_USER = new User("root", 0, 0, "/root", User.DEFAULT_SHELL, "", List.of());

    public Accounts {
        groups = List.copyOf(groups);
        users = List.copyOf(users);
    }

    public record Group(String name, int gid) {
        public Group {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * @param gid    the primary group
     * @param groups names of supplementary groups, all declared
     */
    public record User(String name, int uid, int gid, String home, String shell, String gecos, List<String> groups) {
        public static final String DEFAULT_HOME = "/";
        /** Only a string in /etc/passwd: distroless images have no shell, and none is added. */
        public static final String DEFAULT_SHELL = "/sbin/nologin";

        public User {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(shell, "shell");
            Objects.requireNonNull(gecos, "gecos");
            groups = List.copyOf(groups);
        }
    }

    public Optional<User> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<Group> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public OptionalInt uidOf(String userName) {
        return user(userName).map(u -> OptionalInt.of(u.uid())).orElse(OptionalInt.empty());
    }

    public OptionalInt gidOf(String groupName) {
        return group(groupName).map(g -> OptionalInt.of(g.gid())).orElse(OptionalInt.empty());
    }
}
