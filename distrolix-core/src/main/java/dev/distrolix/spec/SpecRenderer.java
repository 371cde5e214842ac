package dev.distrolix.spec;

import dev.distrolix.nix.StorePath;
import dev.distrolix.spec.PathSpec.DirectorySpec;
import dev.distrolix.spec.PathSpec.FileSpec;
import dev.distrolix.spec.PathSpec.SymlinkSpec;
import dev.distrolix.spec.ResolvedSpec.ResolvedConfig;
import dev.distrolix.spec.ResolvedSpec.ResolvedContent;
import dev.distrolix.spec.ResolvedSpec.ResolvedPath;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders every template of a spec once the packages' store paths are known, producing a {@link ResolvedSpec}.
 * Sources marked {@code interpolate} are read and rendered here; other sources stay files to copy.
 */
public final class SpecRenderer {
    private SpecRenderer() {
    }

    /**
     * @param packagePaths the store path of every package declared in the spec, by package name
     * @throws SpecException            when a declared package has no store path (at the package's location),
     *                                  or an interpolated source changed since loading and no longer renders
     * @throws IllegalArgumentException when {@code packagePaths} names a package the spec does not declare
     */
    public static ResolvedSpec render(ImageSpec spec, Map<String, StorePath> packagePaths) {
        for (String name : packagePaths.keySet()) {
            if (spec.packageNamed(name).isEmpty()) {
                throw new IllegalArgumentException("store path given for undeclared package '" + name + "'");
            }
        }
        Map<String, StorePath> ordered = new LinkedHashMap<>();
        Map<String, String> fullPaths = new LinkedHashMap<>();
        for (PackageEntry ref : spec.packages()) {
            StorePath path = packagePaths.get(ref.name());
            if (path == null) {
                throw new SpecException(ref.location(), "packages", "no store path was resolved for package '"
                        + ref.name() + "'");
            }
            ordered.put(ref.name(), path);
            fullPaths.put(ref.name(), path.fullPath());
        }
        Renderer renderer = new Renderer(spec.vars(), fullPaths);
        List<ResolvedPath> paths = spec.paths().stream().map(renderer::path).toList();
        return new ResolvedSpec(spec, ordered, paths, renderer.config(spec.config()));
    }

    private record Renderer(Map<String, String> vars, Map<String, String> packagePaths) {

        String render(Template template) {
            return template.render(vars, packagePaths);
        }

        List<String> render(List<Template> templates) {
            return templates.stream().map(this::render).toList();
        }

        Map<String, String> render(Map<String, Template> templates) {
            Map<String, String> out = new LinkedHashMap<>();
            templates.forEach((k, v) -> out.put(k, render(v)));
            return out;
        }

        ResolvedPath path(PathSpec spec) {
            if (spec instanceof DirectorySpec d) {
                return new ResolvedSpec.Directory(d.path(), d.mode(), d.uid(), d.gid());
            }
            if (spec instanceof SymlinkSpec s) {
                return new ResolvedSpec.Symlink(s.path(), render(s.target()), s.uid(), s.gid());
            }
            FileSpec f = (FileSpec) spec;
            return new ResolvedSpec.RegularFile(f.path(), f.mode(), f.uid(), f.gid(), content(f));
        }

        ResolvedContent content(FileSpec file) {
            if (file.content() instanceof FileContent.Inline inline) {
                return new ResolvedSpec.Text(render(inline.template()));
            }
            if (file.content() instanceof FileContent.Bytes bytes) {
                return new ResolvedSpec.Data(bytes.bytes());
            }
            FileContent.Source source = (FileContent.Source) file.content();
            if (!source.interpolate()) {
                return new ResolvedSpec.CopyOf(source.absolutePath());
            }
            Path path = source.absolutePath();
            return new ResolvedSpec.Text(render(Template.parseFile(readUtf8(path, file), path, "")));
        }

        ResolvedConfig config(ConfigSpec config) {
            return new ResolvedConfig(render(config.entrypoint()), render(config.cmd()), render(config.env()),
                    config.workingDir().map(this::render), config.user().map(this::render),
                    render(config.exposedPorts()), render(config.volumes()), render(config.labels()),
                    config.stopSignal());
        }

        private static String readUtf8(Path path, FileSpec file) {
            try {
                return Utf8Files.read(path);
            } catch (CharacterCodingException e) {
                throw new SpecException(file.location(), "", path + " is not UTF-8 text, so it cannot be interpolated");
            } catch (Utf8Files.TooLarge e) {
                throw new SpecException(file.location(), "", path + " is " + e.getMessage());
            } catch (IOException e) {
                throw SpecException.at(file.location(), "", "cannot read " + path + ": "
                        + SpecTreeReader.oneLine(e.toString()), e);
            }
        }
    }
}
