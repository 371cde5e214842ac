package dev.distrolix.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import dev.distrolix.nix.StorePath;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.spec.SpecRenderer;
import dev.distrolix.tar.LayerEntry;
import dev.distrolix.tar.LayerEntry.Ownership;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last layer from a spec, with an in-memory store listing instead of a real store. */
class CustomisationLayerTest {
    static final StorePath NGINX = StorePath.parse("/nix/store/0c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5-nginx-1.22.1");
    static final StorePath BUSYBOX = StorePath.parse("/nix/store/1c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5-busybox-1.35.0");

    @TempDir
    Path dir;

    /** nginx has bin/ and etc/, busybox has bin/: a store of two directories' worth. */
    static final StoreDirectoryLister STORE = new StoreDirectoryLister() {
        final Map<String, List<Listed>> dirs = Map.of(
                NGINX.fullPath(), List.of(new Listed("bin", true), new Listed("etc", true)),
                NGINX.fullPath() + "/bin", List.of(new Listed("nginx", false)),
                BUSYBOX.fullPath(), List.of(new Listed("bin", true)),
                BUSYBOX.fullPath() + "/bin", List.of(new Listed("sh", false)));

        @Override
        public List<Listed> list(String storeDirectory) {
            return dirs.getOrDefault(storeDirectory, List.of());
        }

        @Override
        public boolean isDirectory(String storeFullPath) {
            return dirs.containsKey(storeFullPath);
        }
    };

    ResolvedSpec resolve(String yaml, Map<String, StorePath> packages) throws IOException {
        Files.writeString(dir.resolve("index.html"), "<h1>hello</h1>\n");
        return SpecRenderer.render(SpecLoader.load(Files.writeString(dir.resolve("image.yaml"), yaml)), packages);
    }

    static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
        return entries.stream().collect(Collectors.toMap(LayerEntry::path, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }

    static String text(LayerEntry e) throws IOException {
        try (InputStream in = ((LayerEntry.RegularFile) e).content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void profileLinksAccountsAndDeclaredPathsWithOwnersAndMtimeOne() throws IOException {
        ResolvedSpec resolved = resolve("""
                name: web
                packages: [nginx, busybox]
                accounts:
                  groups: [ { name: nginx, gid: 31337 } ]
                  users: [ { name: nginx, uid: 31337, group: nginx, home: /var/empty } ]
                profile: { prefix: /usr/local, packages: [nginx] }
                paths:
                  - { path: /etc/nginx/nginx.conf, content: "listen 80;" }
                  - { path: /usr/share/nginx/html/index.html, source: index.html, mode: "0444" }
                  - { path: /var/log/nginx, type: directory, owner: nginx, group: nginx }
                  - { path: /bin/sh, target: "${packages.busybox}/bin/sh" }
                """, Map.of("nginx", NGINX, "busybox", BUSYBOX));

        CustomisationLayer layer = CustomisationLayer.of(resolved, STORE);
        Map<String, LayerEntry> e = byPath(layer.entries());

        assertThat(e.get("usr/local/bin")).isEqualTo(new LayerEntry.Symlink("usr/local/bin", NGINX + "/bin", Ownership.ROOT, 1));
        assertThat(e.get("usr/local/etc")).isEqualTo(new LayerEntry.Symlink("usr/local/etc", NGINX + "/etc", Ownership.ROOT, 1));
        assertThat(e).as("busybox is not in the profile").doesNotContainKey("usr/local/bin/sh");
        assertThat(text(e.get("etc/passwd"))).contains("root:x:0:0:", "nginx:x:31337:31337:");
        assertThat(text(e.get("etc/group"))).contains("root:x:0:", "nginx:x:31337:");
        assertThat(e.get("etc/passwd").mode()).isEqualTo(0644);
        assertThat(text(e.get("etc/nginx/nginx.conf"))).isEqualTo("listen 80;");
        assertThat(text(e.get("usr/share/nginx/html/index.html"))).isEqualTo("<h1>hello</h1>\n");
        assertThat(e.get("usr/share/nginx/html/index.html").mode()).isEqualTo(0444);
        assertThat(e.get("var/log/nginx").owner()).isEqualTo(new Ownership(31337, 31337, "nginx", "nginx"));
        assertThat(e.get("bin/sh")).isEqualTo(new LayerEntry.Symlink("bin/sh", BUSYBOX + "/bin/sh", Ownership.ROOT, 1));
        assertThat(layer.entries()).allSatisfy(x -> assertThat(x.mtime()).isEqualTo(CustomisationLayer.MTIME));
        assertThat(layer.entries()).extracting(LayerEntry::path).isSorted();
    }

    @Test
    void withoutProfileOrAccountsThereAreStillRootsPasswdAndGroup() throws IOException {
        CustomisationLayer layer = CustomisationLayer.of(resolve("name: bare\npackages: [nginx]\n",
                Map.of("nginx", NGINX)), STORE);
        assertThat(layer.entries()).extracting(LayerEntry::path).containsExactly("etc", "etc/group", "etc/passwd");
        assertThat(text(byPath(layer.entries()).get("etc/passwd"))).startsWith("root:x:0:0:");
        assertThat(layer.notices()).isEmpty();
    }

    @Test
    void aProfileWithoutPackagesLinksEveryPackageAndTheirClashIsAnInputError() throws IOException {
        ResolvedSpec resolved = resolve("name: clash\npackages: [nginx, busybox]\nprofile: { prefix: / }\n",
                Map.of("nginx", NGINX, "busybox", BUSYBOX));
        CustomisationLayer layer = CustomisationLayer.of(resolved, STORE);
        Map<String, LayerEntry> e = byPath(layer.entries());
        assertThat(e.get("bin")).as("two providers of bin/: a real directory").isInstanceOf(LayerEntry.Directory.class);
        assertThat(((LayerEntry.Symlink) e.get("bin/nginx")).target()).isEqualTo(NGINX + "/bin/nginx");
        assertThat(((LayerEntry.Symlink) e.get("bin/sh")).target()).isEqualTo(BUSYBOX + "/bin/sh");

        ResolvedSpec twice = resolve("name: twice\npackages: [busybox, { store-path: " + BUSYBOX
                + ", name: again }]\nprofile: { prefix: / }\n", Map.of("busybox", BUSYBOX, "again", BUSYBOX));
        assertThatThrownBy(() -> CustomisationLayer.of(twice, STORE))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("profile conflict: /bin/sh");
    }
}
