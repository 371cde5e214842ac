package dev.distrolix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads back an OCI layout the tests wrote: manifest, config, and the store paths of each layer. */
final class OciLayouts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayouts() {}

    static JsonNode blob(Path layout, String digest) throws IOException {
        return JSON.readTree(Files.readAllBytes(blobPath(layout, digest)));
    }

    static Path blobPath(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    static JsonNode manifest(Path layout) throws IOException {
        JsonNode index = JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
        return blob(layout, index.get("manifests").get(0).get("digest").asText());
    }

    static JsonNode config(Path layout) throws IOException {
        return blob(layout, manifest(layout).get("config").get("digest").asText());
    }

    /** For each layer, the store paths (base names) it holds, in layer order. */
    static List<Set<String>> storePathsPerLayer(Path layout) throws IOException {
        List<Set<String>> out = new ArrayList<>();
        for (JsonNode l : manifest(layout).get("layers")) {
            Set<String> names = new LinkedHashSet<>();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(blobPath(layout, l.get("digest").asText())));
                 TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    String[] parts = e.getName().split("/");
                    if (parts.length >= 3 && parts[0].equals("nix") && parts[1].equals("store")) {
                        names.add(parts[2]);
                    }
                }
            }
            out.add(names);
        }
        return out;
    }
}
