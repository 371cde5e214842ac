package dev.distrolix.build;

import dev.distrolix.nix.StorePath;
import dev.distrolix.rootfs.AccountsFiles;
import dev.distrolix.rootfs.RootfsTree;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.Accounts;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.tar.LayerEntry;
import dev.distrolix.tar.LayerEntry.Ownership;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The last layer of every image (dockerTools calls it "customisation"): profile links, /etc/passwd
 * and /etc/group, and the spec's declared paths. Its entries carry mtime 1 like the store layers:
 * file-system mtimes of the spec's sources differ between checkouts, and the image must not.
 */
public final class CustomisationLayer {
    /** mtime of every entry; SOURCE_DATE_EPOCH only sets `created` (clamping mtime 1 to it changes nothing). */
    public static final long MTIME = 1L;

    private final List<LayerEntry> entries;
    private final List<String> notices;

    private CustomisationLayer(List<LayerEntry> entries, List<String> notices) {
        this.entries = entries;
        this.notices = notices;
    }

    public static CustomisationLayer of(ResolvedSpec resolved, StoreDirectoryLister lister) {
        ImageSpec spec = resolved.spec();
        RootfsTree tree = new RootfsTree(lister);
        spec.profile().ifPresent(profile -> {
            List<String> names = profile.packages().isEmpty()
                    ? List.copyOf(resolved.packagePaths().keySet()) : profile.packages();
            for (String name : names) {
                StorePath p = resolved.packagePaths().get(name);
                tree.linkProfile(profile.prefix(), p.fullPath());
            }
        });
        Accounts accounts = spec.accounts();
        addText(tree, "/etc/passwd", AccountsFiles.passwd(users(accounts)), "accounts");
        addText(tree, "/etc/group", AccountsFiles.group(groups(accounts)), "accounts");
        Map<Integer, String> userNames = new java.util.HashMap<>();
        Map<Integer, String> groupNames = new java.util.HashMap<>();
        accounts.users().forEach(u -> userNames.putIfAbsent(u.uid(), u.name()));
        accounts.groups().forEach(g -> groupNames.putIfAbsent(g.gid(), g.name()));
        userNames.putIfAbsent(0, "root");
        groupNames.putIfAbsent(0, "root");
        int i = 0;
        for (ResolvedSpec.ResolvedPath p : resolved.paths()) {
            String origin = "paths[" + i++ + "]";
            if (p instanceof ResolvedSpec.Directory d) {
                tree.addDirectory(d.path(), d.mode(), owner(d.uid(), d.gid(), userNames, groupNames), origin);
            } else if (p instanceof ResolvedSpec.RegularFile f) {
                Ownership o = owner(f.uid(), f.gid(), userNames, groupNames);
                if (f.content() instanceof ResolvedSpec.Text t) {
                    byte[] bytes = t.text().getBytes(StandardCharsets.UTF_8);
                    tree.addFile(f.path(), f.mode(), o, bytes.length, () -> new ByteArrayInputStream(bytes), origin);
                } else if (f.content() instanceof ResolvedSpec.Data d) {
                    byte[] bytes = d.bytes();
                    tree.addFile(f.path(), f.mode(), o, bytes.length, () -> new ByteArrayInputStream(bytes), origin);
                } else {
                    var file = ((ResolvedSpec.CopyOf) f.content()).file();
                    tree.addFile(f.path(), f.mode(), o, size(file), () -> Files.newInputStream(file), origin);
                }
            } else if (p instanceof ResolvedSpec.Symlink s) {
                tree.addSymlink(s.path(), s.target(), owner(s.uid(), s.gid(), userNames, groupNames), origin);
            }
        }
        return new CustomisationLayer(tree.entries(MTIME), tree.notices());
    }

    public List<LayerEntry> entries() {
        return entries;
    }

    public List<String> notices() {
        return notices;
    }

    private static void addText(RootfsTree tree, String path, byte[] bytes, String origin) {
        tree.addFile(path, 0644, Ownership.ROOT, bytes.length, () -> new ByteArrayInputStream(bytes), origin);
    }

    private static long size(java.nio.file.Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Ownership owner(int uid, int gid, Map<Integer, String> users, Map<Integer, String> groups) {
        if (uid == 0 && gid == 0) {
            return Ownership.ROOT;
        }
        return new Ownership(uid, gid, users.getOrDefault(uid, ""), groups.getOrDefault(gid, ""));
    }

    private static List<AccountsFiles.User> users(Accounts a) {
        List<AccountsFiles.User> out = new ArrayList<>();
        a.users().forEach(u -> out.add(new AccountsFiles.User(u.name(), u.uid(), u.gid(), u.gecos(), u.home(), u.shell())));
        return out;
    }

    private static List<AccountsFiles.Group> groups(Accounts a) {
        List<AccountsFiles.Group> out = new ArrayList<>();
        for (Accounts.Group g : a.groups()) {
            List<String> members = a.users().stream().filter(u -> u.groups().contains(g.name()))
                    .map(Accounts.User::name).toList();
            out.add(new AccountsFiles.Group(g.name(), g.gid(), members));
        }
        return out;
    }
}
