package dev.distrolix.sign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distrolix.build.BuiltImage;
import dev.distrolix.nix.PathInfo;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.substituter.NarHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * A SLSA provenance v1 predicate for a distrolix build: what Nix knows better than any other
 * builder — every store path in the image with its NAR hash — as resolved dependencies, beside the
 * spec's and the lock's digests. Nothing in it depends on the machine or the clock (its only time is
 * SOURCE_DATE_EPOCH, the image's {@code created}), so the same build attests the same bytes.
 */
public final class Provenance {
    public static final String BUILD_TYPE = "https://distrolix.dev/build/v1";
    public static final String BUILDER_ID = "https://distrolix.dev/builder/cli";

    private Provenance() {}

    public static ObjectNode predicate(BuiltImage b, String version) throws IOException {
        ObjectNode p = dev.distrolix.json.JsonTrees.object();
        ObjectNode def = p.putObject("buildDefinition");
        def.put("buildType", BUILD_TYPE);
        ObjectNode ext = def.putObject("externalParameters");
        ObjectNode spec = ext.putObject("spec");
        spec.put("name", b.spec().name());
        Path file = b.spec().file();
        if (Files.isRegularFile(file)) {
            spec.put("file", file.getFileName().toString());
            spec.putObject("digest").put("sha256", sha256(file));
        } else {
            spec.put("file", file.toString()); // <stdin>: the bytes are gone
        }
        ext.put("target", b.target().toString());
        ext.put("system", b.system().nixSystem());
        ObjectNode internal = def.putObject("internalParameters");
        internal.put("created", b.created().toString());
        internal.put("sourceDateEpoch", b.created().getEpochSecond());
        ArrayNode deps = def.putArray("resolvedDependencies");
        if (b.lockFile().isPresent()) {
            Path lock = b.lockFile().get();
            ObjectNode l = deps.addObject();
            l.put("name", lock.getFileName().toString());
            l.putObject("digest").put("sha256", sha256(lock));
        }
        for (StorePath path : b.closure().paths()) {
            PathInfo info = b.closure().info(path);
            ObjectNode d = deps.addObject();
            d.put("uri", "nix:" + path.fullPath());
            d.put("name", path.name());
            // the NAR serialization's sha256: the digest Nix checks the path by, in hex as SLSA's digest sets want
            d.putObject("digest").put("sha256", HexFormat.of().formatHex(NarHash.parse(info.narHash()).bytes()));
            ObjectNode a = d.putObject("annotations");
            a.put("narHash", info.narHash());
            a.put("narSize", info.narSize());
        }
        ObjectNode run = p.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", BUILDER_ID);
        builder.putObject("version").put("distrolix", version);
        run.putObject("metadata").put("invocationId", b.written().manifestDigest().toString());
        ArrayNode byproducts = run.putArray("byproducts");
        byproducts.addObject().put("name", "config").putObject("digest")
                .put("sha256", b.image().configDigest().hex());
        return p;
    }

    private static String sha256(Path file) throws IOException {
        return dev.distrolix.blob.Digest.sha256(file).hex();
    }
}
