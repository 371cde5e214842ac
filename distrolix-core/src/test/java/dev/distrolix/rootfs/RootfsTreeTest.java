package dev.distrolix.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.tar.LayerEntry;
import dev.distrolix.tar.LayerEntry.Ownership;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@IntegrationTest
class RootfsTreeTest {
    private final String nginx = Fixtures.storePath("nginx");
    private final String busybox = Fixtures.storePath("busybox");
    private final StoreDirectoryLister lister = StoreDirectoryLister.local(Path.of("/"));

    private static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
        return entries.stream().collect(Collectors.toMap(LayerEntry::path, Function.identity()));
    }

    @Test
    void oneProviderOfADirectoryGivesOneSymlink() {
        RootfsTree t = new RootfsTree(lister);
        t.linkProfile("/usr/local", nginx);
        Map<String, LayerEntry> e = byPath(t.entries(1));
        assertThat(e.get("usr")).isInstanceOf(LayerEntry.Directory.class);
        assertThat(e.get("usr/local")).isInstanceOf(LayerEntry.Directory.class);
        assertThat(e.get("usr/local/bin")).isEqualTo(new LayerEntry.Symlink("usr/local/bin", nginx + "/bin", Ownership.ROOT, 1));
    }

    @Test
    void twoProvidersOfBinAreMergedIntoARealDirectory() {
        RootfsTree t = new RootfsTree(lister);
        t.linkProfile("/usr/local", nginx);
        t.linkProfile("/usr/local", busybox);
        Map<String, LayerEntry> e = byPath(t.entries(1));
        assertThat(e.get("usr/local/bin")).isInstanceOf(LayerEntry.Directory.class);
        assertThat(((LayerEntry.Symlink) e.get("usr/local/bin/nginx")).target()).isEqualTo(nginx + "/bin/nginx");
        assertThat(((LayerEntry.Symlink) e.get("usr/local/bin/sh")).target()).isEqualTo(busybox + "/bin/sh");
    }

    @Test
    void sameFileFromTwoPackagesIsAConflict() {
        RootfsTree t = new RootfsTree(lister);
        t.linkProfile("/", busybox);
        assertThatThrownBy(() -> t.linkProfile("/", busybox))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("profile conflict: /bin/")
                .hasMessageContaining(busybox);
    }

    @Test
    void declaredFileInsideALinkedDirectoryExpandsItAndKeepsTheOtherLinks() {
        RootfsTree t = new RootfsTree(lister);
        t.linkProfile("/", nginx);
        byte[] conf = "daemon off;\n".getBytes();
        t.addFile("/etc/nginx/nginx.conf", 0644, Ownership.ROOT, conf.length, () -> new ByteArrayInputStream(conf), "paths[0]");
        t.addFile("/etc/passwd", 0644, Ownership.ROOT, 0, () -> new ByteArrayInputStream(new byte[0]), "accounts");
        Map<String, LayerEntry> e = byPath(t.entries(1));
        assertThat(e.get("etc")).isInstanceOf(LayerEntry.Directory.class);
        assertThat(e.get("etc/nginx")).isInstanceOf(LayerEntry.Directory.class);
        assertThat(e.get("etc/nginx/nginx.conf")).isInstanceOf(LayerEntry.RegularFile.class);
        assertThat(((LayerEntry.Symlink) e.get("etc/nginx/mime.types")).target()).isEqualTo(nginx + "/etc/nginx/mime.types");
        assertThat(t.notices()).anySatisfy(n -> assertThat(n).startsWith("/etc/nginx/nginx.conf (paths[0]) replaces"));
    }

    @Test
    void entriesComeInTarOrderWithImplicitParents() {
        RootfsTree t = new RootfsTree(lister);
        t.addDirectory("/var/log/nginx", 0755, new Ownership(31337, 31337, "nginx", "nginx"), "paths[1]");
        t.addDirectory("/tmp", 01777, Ownership.ROOT, "paths[2]");
        t.addSymlink("/var/a-b", "x", Ownership.ROOT, "paths[3]");
        List<String> order = t.entries(1).stream().map(LayerEntry::path).toList();
        // "var/a-b" < "var/log": '-' (0x2d) sorts before 'l'
        assertThat(order).containsExactly("tmp", "var", "var/a-b", "var/log", "var/log/nginx");
        assertThat(byPath(t.entries(1)).get("var/log/nginx").owner().uid()).isEqualTo(31337);
        assertThat(byPath(t.entries(1)).get("tmp").mode()).isEqualTo(01777);
    }

    @Test
    void aFileCannotBeBothAFileAndAParentDirectory() {
        RootfsTree t = new RootfsTree(lister);
        t.addSymlink("/opt", "/nix/store", Ownership.ROOT, "paths[0]");
        assertThatThrownBy(() -> t.addDirectory("/opt/x", 0755, Ownership.ROOT, "paths[1]"))
                .isInstanceOf(InputException.class)
                .hasMessage("paths[1]: /opt is a file or symlink (from paths[0]), it cannot be a directory");
        assertThatThrownBy(() -> t.addSymlink("/opt", "y", Ownership.ROOT, "paths[2]"))
                .hasMessage("/opt is declared twice: by paths[2] and by paths[0]");
    }

    @Test
    void accountsFilesAlwaysHaveRootAndAreSortedById() {
        String passwd = new String(AccountsFiles.passwd(List.of(
                new AccountsFiles.User("nginx", 31337, 31337, "", "/var/empty", AccountsFiles.NO_LOGIN))));
        assertThat(passwd).isEqualTo("root:x:0:0:root:/root:/sbin/nologin\nnginx:x:31337:31337::/var/empty:/sbin/nologin\n");
        String group = new String(AccountsFiles.group(List.of(new AccountsFiles.Group("nginx", 31337, List.of("nginx")))));
        assertThat(group).isEqualTo("root:x:0:\nnginx:x:31337:nginx\n");
    }
}
