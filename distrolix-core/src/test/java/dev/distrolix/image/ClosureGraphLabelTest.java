package dev.distrolix.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.image.ContainerConfig;
import dev.distrolix.nix.Closure;
import dev.distrolix.nix.PathInfo;
import dev.distrolix.nix.StorePath;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The closure graph label: what the build writes, what sbom reads back. */
class ClosureGraphLabelTest {
    static final StorePath NGINX = sp("0c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5", "nginx-1.22.1");
    static final StorePath ZLIB = sp("1c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5", "zlib-1.2.13");
    static final StorePath GLIBC = sp("2c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5", "glibc-2.36");
    static final StorePath ZLIB_REBUILT = sp("3c5nd8lzrfbfrgh7lsr4qrs4f3yx9gf5", "zlib-1.2.13");

    static StorePath sp(String hash, String name) {
        return new StorePath(StorePath.DEFAULT_STORE_DIR, hash, name);
    }

    static PathInfo info(StorePath p, StorePath... refs) {
        return new PathInfo(p, 1000, "sha256-test", List.of(refs));
    }

    /** nginx → zlib, glibc (and itself); zlib → glibc; glibc → itself. */
    static Closure closure() {
        return new Closure(List.of(NGINX), List.of(info(NGINX, NGINX, ZLIB, GLIBC), info(ZLIB, GLIBC),
                info(GLIBC, GLIBC)));
    }

    static SortedMap<String, TreeSet<String>> graph(Map<StorePath, List<StorePath>> edges) {
        SortedMap<String, TreeSet<String>> out = new java.util.TreeMap<>();
        edges.forEach((p, refs) -> out.put(p.baseName(), new TreeSet<>(refs.stream().map(StorePath::baseName).toList())));
        return out;
    }

    @Test
    void encodesOneKeyPerPathByNameWithItsReferencesWithoutItself() {
        assertThat(ClosureGraphLabel.encode(closure())).isEqualTo("{"
                + "\"" + GLIBC.baseName() + "\":[],"
                + "\"" + NGINX.baseName() + "\":[\"" + GLIBC.baseName() + "\",\"" + ZLIB.baseName() + "\"],"
                + "\"" + ZLIB.baseName() + "\":[\"" + GLIBC.baseName() + "\"]}");
    }

    @Test
    void decodeGivesBackTheGraph() {
        assertThat(ClosureGraphLabel.decode(ClosureGraphLabel.encode(closure()))).isEqualTo(graph(Map.of(
                NGINX, List.of(ZLIB, GLIBC), ZLIB, List.of(GLIBC), GLIBC, List.of())));
    }

    @Test
    void aRebuiltPathChangesOnlyItsOwnNameInTheLabel() {
        Closure rebuilt = new Closure(List.of(NGINX), List.of(info(NGINX, NGINX, ZLIB_REBUILT, GLIBC),
                info(ZLIB_REBUILT, GLIBC), info(GLIBC, GLIBC)));
        assertThat(ClosureGraphLabel.encode(rebuilt))
                .isEqualTo(ClosureGraphLabel.encode(closure()).replace(ZLIB.hashPart(), ZLIB_REBUILT.hashPart()));
    }

    @Test
    void referencesMayBeGivenByHashPartAlone() {
        String value = "{\"" + NGINX.baseName() + "\":[\"" + GLIBC.hashPart() + "\"],\"" + GLIBC.baseName() + "\":[]}";
        assertThat(ClosureGraphLabel.decode(value)).isEqualTo(graph(Map.of(NGINX, List.of(GLIBC), GLIBC, List.of())));
    }

    @Test
    void aMalformedLabelIsAnIllegalArgumentNamingTheLabel() {
        assertThatThrownBy(() -> ClosureGraphLabel.decode("{not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("label " + ClosureGraphLabel.LABEL + " is not JSON");
        assertThatThrownBy(() -> ClosureGraphLabel.decode("[]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label " + ClosureGraphLabel.LABEL + " is not a JSON object");
        assertThatThrownBy(() -> ClosureGraphLabel.decode("{\"" + NGINX.baseName() + "\":[\"" + ZLIB.baseName() + "\"]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label " + ClosureGraphLabel.LABEL + ": " + NGINX.baseName() + " references "
                        + ZLIB.baseName() + ", which the graph does not list");
        assertThatThrownBy(() -> ClosureGraphLabel.decode("{\"not-a-store-path\":[]}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withLabelAddsOrReplacesOnlyTheGraphLabel() {
        ContainerConfig config = ContainerConfig.builder().entrypoint(List.of("/bin/app")).user("1000")
                .label("org.opencontainers.image.title", "app").label(ClosureGraphLabel.LABEL, "stale").build();
        ContainerConfig labelled = ClosureGraphLabel.withLabel(config, closure());
        assertThat(labelled.labels()).containsOnlyKeys("org.opencontainers.image.title", ClosureGraphLabel.LABEL)
                .containsEntry(ClosureGraphLabel.LABEL, ClosureGraphLabel.encode(closure()));
        assertThat(labelled.entrypoint()).isEqualTo(config.entrypoint());
        assertThat(labelled.user()).isEqualTo(config.user());
        assertThat(config.labels()).as("the original is unchanged").containsEntry(ClosureGraphLabel.LABEL, "stale");
    }
}
