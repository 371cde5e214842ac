package dev.distrolix.copy;

import dev.distrolix.registry.RegistryRef;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Parses a source string, skopeo-style, and opens it. */
final class Sources {
    static final String FORMS = "docker://HOST[:PORT]/REPO[:TAG|@DIGEST], oci:DIR[:TAG], oci-archive:FILE[:TAG] "
            + "or docker-archive:FILE[:NAME:TAG]";

    private Sources() {}

    /** Checks the syntax only (before any work). */
    static void check(String src) {
        parse(src);
    }

    static SourceImage open(String src, RegistrySettings settings) throws IOException {
        Parsed p = parse(src);
        switch (p.transport) {
            case "docker":
                return RegistrySource.open(RegistryRef.parse(p.rest.substring(2)), settings);
            case "oci":
                return LayoutSource.open(p.path, p.more, src, null);
            case "oci-archive": {
                Path dir = ArchiveUnpacker.unpack(p.path, src);
                return LayoutSource.open(dir, p.more, src, dir);
            }
            default: {
                Path dir = ArchiveUnpacker.unpack(p.path, src);
                try {
                    if (Files.isRegularFile(dir.resolve("index.json")) && Files.isRegularFile(dir.resolve("oci-layout"))) {
                        // Docker 25+ (and our own) docker-archives are OCI layouts too: keep their compressed layers
                        return LayoutSource.open(dir, tagOf(p.more), src, dir);
                    }
                    return LegacyArchiveSource.open(dir, p.more, src, settings.listener());
                } catch (IOException | RuntimeException e) {
                    dev.distrolix.FileTrees.deleteTree(dir);
                    throw e;
                }
            }
        }
    }

    private record Parsed(String transport, String rest, Path path, String more) {}

    private static Parsed parse(String src) {
        try {
            int colon = src.indexOf(':');
            String transport = colon < 0 ? src : src.substring(0, colon);
            String rest = colon < 0 ? "" : src.substring(colon + 1);
            switch (transport) {
                case "docker":
                    if (!rest.startsWith("//")) {
                        throw new IllegalArgumentException("a registry source is docker://HOST[:PORT]/REPO[:TAG]");
                    }
                    RegistryRef.parse(rest.substring(2));
                    return new Parsed(transport, rest, null, null);
                case "oci", "oci-archive", "docker-archive": {
                    if (rest.isEmpty() || rest.startsWith(":")) {
                        throw new IllegalArgumentException(transport + ": needs a path");
                    }
                    int c = rest.indexOf(':');
                    String more = c < 0 ? null : rest.substring(c + 1);
                    if (more != null && more.isEmpty()) {
                        throw new IllegalArgumentException("empty name or tag after ':'");
                    }
                    return new Parsed(transport, rest, Path.of(c < 0 ? rest : rest.substring(0, c)), more);
                }
                default:
                    throw new IllegalArgumentException(transport.isEmpty() ? "no source kind"
                            : "unknown source kind '" + transport + "'");
            }
        } catch (IllegalArgumentException | dev.distrolix.InputException e) {
            throw new IllegalArgumentException("invalid source '" + src + "': " + e.getMessage()
                    + "; expected " + FORMS, e);
        }
    }

    /** NAME:TAG → TAG (an OCI layout's ref.name holds the tag). */
    private static String tagOf(String reference) {
        if (reference == null) {
            return null;
        }
        int colon = reference.lastIndexOf(':');
        return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : null;
    }
}
