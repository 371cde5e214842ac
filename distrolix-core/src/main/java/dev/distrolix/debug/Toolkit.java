package dev.distrolix.debug;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.distrolix.build.NixRefs;
import dev.distrolix.blob.Digest;
import dev.distrolix.nix.NixCli;
import dev.distrolix.nix.NixException;
import dev.distrolix.nix.NixInputException;
import dev.distrolix.nix.NixNotFoundException;
import dev.distrolix.nix.StorePath;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.PackageEntry;
import dev.distrolix.spec.SpecLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The debug toolkit's spec: the one shipped as a resource ({@code dev/distrolix/debug/toolkit.yaml}:
 * busybox and strace), or the same with other packages ({@code --packages}).
 *
 * <p>Its image is named {@code localhost/distrolix-toolkit:KEY}, KEY a hash of the spec text and of
 * the store paths Nix resolves its packages to: the same spec over the same package set gives the
 * same name, so an image already in the engine is reused without a build, and a changed package set
 * (another nixpkgs, an updated busybox) gives a new name.
 */
public final class Toolkit {
    public static final String REPOSITORY = "localhost/distrolix-toolkit";
    public static final String BUSYBOX = "busybox";
    static final String RESOURCE = "toolkit.yaml";
    /** Bump when the way a toolkit image is made from the same inputs changes. */
    private static final String KEY_VERSION = "distrolix-toolkit/1";
    private static final int TAG_HEX = 20;

    private final String specText;

    private Toolkit(String specText) {
        this.specText = specText;
    }

    /** The shipped toolkit. */
    public static Toolkit standard() {
        return new Toolkit(shippedSpec());
    }

    /**
     * busybox and {@code packages} (attribute paths, store paths, .nix files or flake references, as
     * a spec's {@code packages} takes them; relative .nix files are taken from {@code workingDir}).
     * The packages are linked into / ahead of busybox on PATH.
     */
    public static Toolkit withPackages(List<String> packages, Path workingDir) {
        Set<String> extras = new LinkedHashSet<>();
        for (String p : packages) {
            String s = p.strip();
            if (s.isEmpty()) {
                throw new dev.distrolix.InputException("--packages: empty package name");
            }
            if (!s.equals(BUSYBOX)) {
                extras.add(absoluteIfFile(s, workingDir));
            }
        }
        try {
            ObjectNode spec = (ObjectNode) yaml().readTree(shippedSpec());
            ArrayNode list = spec.putArray("packages");
            list.add(BUSYBOX);
            extras.forEach(list::add);
            spec.remove("profile");
            if (!extras.isEmpty()) {
                ObjectNode profile = spec.putObject("profile");
                profile.put("prefix", "/");
                ArrayNode names = profile.putArray("packages");
                packageNames(yaml().writeValueAsString(spec)).stream().skip(1).forEach(names::add);
            }
            return new Toolkit(yaml().writeValueAsString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String specText() {
        return specText;
    }

    /** The package names of the spec, busybox first. */
    public List<String> packages() {
        return packageNames(specText);
    }

    /**
     * Writes the spec into a fresh folder and resolves its packages with Nix (building them if the store
     * lacks them) to name the image. Close the result to remove the folder.
     */
    public Prepared prepare(NixCli nix, List<String> includes) {
        Path dir = null;
        try {
            dir = dev.distrolix.TempFiles.createTempDirectory("toolkit");
            Path file = dir.resolve(RESOURCE);
            Files.writeString(file, specText, StandardCharsets.UTF_8);
            ImageSpec spec = SpecLoader.load(file);
            StringBuilder key = new StringBuilder(KEY_VERSION).append('\n').append(specText).append('\n');
            List<String> paths = new ArrayList<>();
            for (java.util.Map.Entry<String, List<StorePath>> e : NixRefs.outputsOf(spec, nix, includes).entrySet()) {
                for (StorePath p : e.getValue()) {
                    paths.add(p.fullPath());
                    key.append(e.getKey()).append(' ').append(p.fullPath()).append('\n');
                }
            }
            String tag = Digest.sha256(key.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, TAG_HEX);
            return new Prepared(dir, file, REPOSITORY + ":" + tag, List.copyOf(paths));
        } catch (IOException e) {
            Prepared.deleteQuietly(dir);
            throw new UncheckedIOException("cannot write the toolkit spec: " + e.getMessage(), e);
        } catch (NixInputException e) {
            Prepared.deleteQuietly(dir);
            if (e.getMessage().startsWith("no package set")) {
                throw new NixInputException(e.command(), "the debug toolkit needs a Nix package set: pass -I nixpkgs=PATH"
                        + " (on a machine without nixpkgs, e.g. distrolix's testing/debian-pkgs) or set NIX_PATH; or use"
                        + " --image REF", e.details());
            }
            throw new NixInputException(e.command(), "the debug toolkit: " + e.getMessage(), e.details());
        } catch (NixNotFoundException e) {
            Prepared.deleteQuietly(dir);
            throw new NixNotFoundException(e.command().isEmpty() ? "nix" : e.command().get(0),
                    "the debug toolkit: " + e.getMessage());
        } catch (NixException e) {
            Prepared.deleteQuietly(dir);
            throw new NixException(e.command(), "the debug toolkit: " + e.getMessage(), e.details());
        } catch (RuntimeException e) {
            Prepared.deleteQuietly(dir);
            throw e;
        }
    }

    /**
     * A toolkit spec on disk, with the image name its content gives.
     *
     * @param image      {@code localhost/distrolix-toolkit:KEY}
     * @param storePaths what its packages resolved to
     */
    public record Prepared(Path dir, Path specFile, String image, List<String> storePaths) implements AutoCloseable {
        public Prepared {
            Objects.requireNonNull(image, "image");
        }

        public String tag() {
            return image.substring(image.lastIndexOf(':') + 1);
        }

        @Override
        public void close() {
            deleteQuietly(dir);
        }

        static void deleteQuietly(Path dir) {
            try {
                dev.distrolix.FileTrees.deleteTree(dir);
            } catch (IOException ignored) {
                // a temp folder; the JVM's temp cleanup is not ours to worry about
            }
        }
    }

    static String shippedSpec() {
        try (InputStream in = Toolkit.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the toolkit spec " + RESOURCE + " is missing from distrolix-core");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Package names as the spec loader derives them (busybox first): the profile lists names, not references. */
    private static List<String> packageNames(String text) {
        Path dir = null;
        try {
            dir = dev.distrolix.TempFiles.createTempDirectory("toolkit");
            Path file = dir.resolve(RESOURCE);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return SpecLoader.load(file).packages().stream().map(PackageEntry::name).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Prepared.deleteQuietly(dir);
        }
    }

    private static String absoluteIfFile(String ref, Path workingDir) {
        boolean file = ref.endsWith(".nix") || ref.contains(".nix#");
        if (!file || ref.startsWith("/")) {
            return ref;
        }
        return workingDir.toAbsolutePath().resolve(ref).normalize().toString();
    }

    private static YAMLMapper yaml() {
        return new YAMLMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
    }
}
