package dev.distrolix.spec;

import dev.distrolix.nix.StorePath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link ImageSpec} with every template rendered, made by {@link SpecRenderer} once Nix has resolved the
 * packages to store paths. Later stages (customisation layer, image config) read plain strings from here and
 * go back to {@link #spec()} for everything that needed no rendering (name, layering, accounts, profile).
 *
 * @param packagePaths every declared package's store path, in the spec's package order
 * @param paths        the spec's {@code paths}, same order, rendered
 */
public record ResolvedSpec(ImageSpec spec, Map<String, StorePath> packagePaths, List<ResolvedPath> paths,
        ResolvedConfig config) {

    public ResolvedSpec {
        Objects.requireNonNull(spec, "spec");
        packagePaths = OrderedMaps.copyOf(packagePaths);
        paths = List.copyOf(paths);
        Objects.requireNonNull(config, "config");
    }

    /** A path to create in the image; owners numeric, modes permission bits. */
    public sealed interface ResolvedPath {
        String path();

        int uid();

        int gid();
    }

    public record Directory(String path, int mode, int uid, int gid) implements ResolvedPath {
    }

    public record RegularFile(String path, int mode, int uid, int gid, ResolvedContent content)
            implements ResolvedPath {
        public RegularFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
        }
    }

    public record Symlink(String path, String target, int uid, int gid) implements ResolvedPath {
        public Symlink {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(target, "target");
        }
    }

    /** A file's bytes: rendered text (inline or interpolated source), given bytes, or a source file copied unchanged. */
    public sealed interface ResolvedContent {
    }

    /** Text to be written as UTF-8. */
    public record Text(String text) implements ResolvedContent {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Bytes written as they are (a spec built in code gave them). */
    public record Data(byte[] bytes) implements ResolvedContent {
        public Data {
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data other && java.util.Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    /** A file to copy byte for byte; streamed by the layer writer rather than held in memory. */
    public record CopyOf(Path file) implements ResolvedContent {
        public CopyOf {
            Objects.requireNonNull(file, "file");
        }
    }

    /** The image config with final strings; exposed ports are {@code N/proto}. Maps keep the spec's order. */
    public record ResolvedConfig(
            List<String> entrypoint,
            List<String> cmd,
            Map<String, String> env,
            Optional<String> workingDir,
            Optional<String> user,
            List<String> exposedPorts,
            List<String> volumes,
            Map<String, String> labels,
            Optional<String> stopSignal) {

        public ResolvedConfig {
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            env = OrderedMaps.copyOf(env);
            Objects.requireNonNull(workingDir, "workingDir");
            Objects.requireNonNull(user, "user");
            exposedPorts = List.copyOf(exposedPorts);
            volumes = List.copyOf(volumes);
            labels = OrderedMaps.copyOf(labels);
            Objects.requireNonNull(stopSignal, "stopSignal");
        }

        /** {@code env} as the OCI config writes it: {@code KEY=VALUE} strings. */
        public List<String> envList() {
            return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        }
    }
}
