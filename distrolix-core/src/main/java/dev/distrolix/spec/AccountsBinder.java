package dev.distrolix.spec;

import dev.distrolix.spec.Accounts.Group;
import dev.distrolix.spec.Accounts.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds {@code accounts}, and resolves user and group references (names or numbers) elsewhere in the spec
 * against the bound accounts.
 */
final class AccountsBinder {
    /** Like useradd's default NAME_REGEX, a little wider (upper case, dots); no ':' that would break passwd. */
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    static final long MAX_ID = Integer.MAX_VALUE;

    private AccountsBinder() {
    }

    static Accounts bind(Optional<SpecValue> section) {
        if (section.isEmpty()) {
            return new Accounts(List.of(Accounts.ROOT_GROUP), List.of(Accounts.ROOT_USER));
        }
        SpecMap map = section.get().map().allowOnly("groups", "users");
        List<Group> groups = bindGroups(map.get("groups"));
        List<User> users = bindUsers(map.get("users"), groups);
        return new Accounts(groups, users);
    }

    private static List<Group> bindGroups(Optional<SpecValue> list) {
        List<Group> groups = new ArrayList<>();
        Map<String, SpecValue> byName = new HashMap<>();
        Map<Long, SpecValue> byGid = new HashMap<>();
        for (SpecValue item : list.map(SpecValue::list).orElse(List.of())) {
            SpecMap map = item.map().allowOnly("name", "gid");
            SpecValue name = map.require("name");
            String groupName = accountName(name);
            SpecValue gidValue = map.require("gid");
            long gid = gidValue.integer(0, MAX_ID);
            rejectDuplicate(byName, groupName, name, "group name '" + groupName + "'");
            rejectDuplicate(byGid, gid, gidValue, "gid " + gid);
            groups.add(new Group(groupName, (int) gid));
        }
        if (groups.stream().noneMatch(g -> g.name().equals("root") || g.gid() == 0)) {
            groups.add(0, Accounts.ROOT_GROUP);
        }
        return groups;
    }

    private static List<User> bindUsers(Optional<SpecValue> list, List<Group> groups) {
        Accounts groupsOnly = new Accounts(groups, List.of());
        List<User> users = new ArrayList<>();
        Map<String, SpecValue> byName = new HashMap<>();
        Map<Long, SpecValue> byUid = new HashMap<>();
        for (SpecValue item : list.map(SpecValue::list).orElse(List.of())) {
            SpecMap map = item.map().allowOnly("name", "uid", "group", "gid", "home", "shell", "gecos", "groups");
            SpecValue name = map.require("name");
            String userName = accountName(name);
            SpecValue uidValue = map.require("uid");
            long uid = uidValue.integer(0, MAX_ID);
            rejectDuplicate(byName, userName, name, "user name '" + userName + "'");
            rejectDuplicate(byUid, uid, uidValue, "uid " + uid);
            int gid = primaryGid(map, userName, groupsOnly);
            String home = map.get("home").map(v -> passwdField(v)).orElse(User.DEFAULT_HOME);
            if (!home.startsWith("/")) {
                throw map.require("home").error("'" + home + "' must be an absolute path");
            }
            String shell = map.get("shell").map(v -> passwdField(v)).orElse(User.DEFAULT_SHELL);
            String gecos = map.get("gecos").map(v -> passwdField(v)).orElse("");
            List<String> extraGroups = new ArrayList<>();
            for (SpecValue g : map.get("groups").map(SpecValue::list).orElse(List.of())) {
                String groupName = g.nonEmptyString();
                if (groupsOnly.group(groupName).isEmpty()) {
                    throw unknown(g, "group", groupName, groupsOnly.groups().stream().map(Group::name).toList());
                }
                if (!extraGroups.contains(groupName)) {
                    extraGroups.add(groupName);
                }
            }
            users.add(new User(userName, (int) uid, gid, home, shell, gecos, extraGroups));
        }
        if (users.stream().noneMatch(u -> u.name().equals("root") || u.uid() == 0)) {
            users.add(0, Accounts.ROOT_USER);
        }
        return users;
    }

    /** {@code group: NAME} or {@code gid: N}; with neither, a group of the user's own name if there is one. */
    private static int primaryGid(SpecMap user, String userName, Accounts groups) {
        Optional<SpecValue> group = user.get("group");
        Optional<SpecValue> gid = user.get("gid");
        if (group.isPresent() && gid.isPresent()) {
            throw new SpecException(user.keyLocation("gid"), user.path().toString(),
                    "set either 'group' or 'gid', not both");
        }
        if (gid.isPresent()) {
            return (int) gid.get().integer(0, MAX_ID);
        }
        if (group.isPresent()) {
            String name = group.get().nonEmptyString();
            return groups.gidOf(name).orElseThrow(() -> unknown(group.get(), "group", name, groups.groups()
                    .stream().map(Group::name).toList()));
        }
        return groups.gidOf(userName).orElseThrow(() -> user.error(
                "user '" + userName + "' needs 'group' or 'gid' (there is no group named '" + userName + "')"));
    }

    /** A user reference in an owner field: a declared user name or a number (integer or digit string). */
    static int userId(SpecValue value, Accounts accounts) {
        return id(value, accounts, true);
    }

    /** A group reference in a group field: a declared group name or a number (integer or digit string). */
    static int groupId(SpecValue value, Accounts accounts) {
        return id(value, accounts, false);
    }

    private static int id(SpecValue value, Accounts accounts, boolean user) {
        if (value.isInteger()) {
            return (int) value.integer(0, MAX_ID);
        }
        String text = value.nonEmptyString();
        if (DIGITS.matcher(text).matches()) {
            return (int) value.integer(text, 0, MAX_ID);
        }
        Optional<Integer> id = user
                ? accounts.user(text).map(User::uid)
                : accounts.group(text).map(Group::gid);
        List<String> names = user ? accounts.users().stream().map(User::name).toList()
                : accounts.groups().stream().map(Group::name).toList();
        return id.orElseThrow(() -> unknown(value, user ? "user" : "group", text, names));
    }

    static SpecException unknown(SpecValue at, String kind, String name, List<String> declared) {
        String hint = Suggestions.closest(name, declared).map(s -> " (did you mean '" + s + "'?)")
                .orElse(" (declared: " + String.join(", ", declared) + ")");
        return at.error("unknown " + kind + " '" + name + "'" + hint);
    }

    private static String accountName(SpecValue value) {
        String name = value.nonEmptyString();
        if (!ACCOUNT_NAME.matcher(name).matches()) {
            throw value.error("'" + name + "' is not a valid account name");
        }
        return name;
    }

    /** A field of /etc/passwd: a ':' or a line break would corrupt the file. */
    private static String passwdField(SpecValue value) {
        String text = value.string();
        if (text.contains(":") || text.contains("\n") || text.contains("\r")) {
            throw value.error("must not contain ':' or line breaks (it is written to /etc/passwd)");
        }
        return text;
    }

    private static <K> void rejectDuplicate(Map<K, SpecValue> seen, K key, SpecValue value, String what) {
        SpecValue previous = seen.putIfAbsent(key, value);
        if (previous != null) {
            throw value.error("duplicate " + what + " (also at " + previous.path() + ", "
                    + previous.location().lineColumn() + ")");
        }
    }
}
