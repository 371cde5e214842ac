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

    /**
     * The label is written as text; a JSON tree of the same graph, written by Jackson, must give the same
     * characters: random closures of up to 400 paths whose names use every character a store name may have, with
     * self-references and paths referenced from many others.
     */
    @Test
    void writesWhatAJsonTreeOfTheGraphWrites() {
        String nix32 = "0123456789abcdfghijklmnpqrsvwxyz";
        String nameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-._?=";
        for (long seed = 1; seed <= 25; seed++) {
            java.util.Random rnd = new java.util.Random(seed);
            int n = 1 + rnd.nextInt(400);
            List<StorePath> paths = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                StringBuilder hash = new StringBuilder();
                for (int k = 0; k < 32; k++) {
                    hash.append(nix32.charAt(rnd.nextInt(32)));
                }
                StringBuilder name = new StringBuilder("p"); // never "." or ".." or ".-…"
                for (int k = rnd.nextInt(12); k > 0; k--) {
                    name.append(nameChars.charAt(rnd.nextInt(nameChars.length())));
                }
                paths.add(sp(hash.toString(), rnd.nextInt(5) == 0 ? "same-name" : name.toString()));
            }
            List<PathInfo> infos = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<StorePath> refs = new java.util.ArrayList<>();
                if (rnd.nextBoolean()) {
                    refs.add(paths.get(i));
                }
                for (int j = i + 1; j < n; j++) {
                    if (rnd.nextInt(n) < 3) {
                        refs.add(paths.get(j));
                    }
                }
                java.util.Collections.shuffle(refs, rnd);
                infos.add(new PathInfo(paths.get(i), 1, "sha256-test", refs));
            }
            Closure c = new Closure(List.of(paths.get(0)), infos);
            com.fasterxml.jackson.databind.node.ObjectNode tree = dev.distrolix.json.JsonTrees.object();
            c.paths().stream().sorted(StorePath::compareByName).forEach(p -> {
                com.fasterxml.jackson.databind.node.ArrayNode refs = tree.putArray(p.baseName());
                c.info(p).references().stream().sorted(StorePath::compareByName).forEach(r -> refs.add(r.baseName()));
            });
            assertThat(ClosureGraphLabel.encode(c)).as("seed %d", seed).isEqualTo(dev.distrolix.json.JsonTrees.writeString(tree));
        }
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
