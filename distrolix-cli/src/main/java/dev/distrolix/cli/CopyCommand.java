package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.copy.CopyResult;
import dev.distrolix.copy.ImageCopy;
import dev.distrolix.registry.Credentials;
import dev.distrolix.registry.PushResult;
import dev.distrolix.registry.RegistrySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "copy",
        description = {
            "Copies an image between registries, layouts and archives.",
            "",
            "Like `skopeo copy`. The manifest bytes are copied unchanged, so the image keeps its digest wherever the "
                    + "destination keeps manifests. Into a registry, blobs it already has are skipped, blobs from "
                    + "another repository of the same registry are mounted, and an image index is copied with all "
                    + "its platforms. Other destinations hold one image: --platform, else the only one, else the "
                    + "host's. Every layer is checked against its digest as it is copied.",
        },
        footerHeading = "%nSources (SRC):%n",
        footer = {
            "  docker://HOST[:PORT]/REPO[:TAG|@DIGEST]   an image in a registry",
            "  oci:DIR[:TAG]                  an OCI image layout",
            "  oci-archive:FILE[:TAG]         an OCI layout as a tar",
            "  docker-archive:FILE[:NAME:TAG] a `docker save` / `podman save` tar",
            "  podman:NAME[:TAG]              an image in podman's store",
            "  docker:NAME[:TAG]              an image in Docker's store",
            "",
            "Destinations (DST): any build target: oci:, oci-archive:, docker-archive:, "
                    + "podman, docker, docker://HOST[:PORT]/REPO[:TAG,...]. A missing name or tag "
                    + "is taken from the source.",
            "",
            "Examples:",
            "  distrolix copy oci:out/nginx:1 docker://127.0.0.1:5000/nginx:1",
            "  distrolix copy docker://reg.example.com/app:1 docker://mirror.example.com/app",
            "  distrolix copy docker://127.0.0.1:5000/nginx:1 oci-archive:nginx.tar --json",
            "  distrolix copy docker-archive:saved.tar docker://127.0.0.1:5000/app:2,latest",
            "  distrolix copy oci:out/app:1 docker://10.0.0.5:5000/app --insecure --creds ci:$T",
        },
        mixinStandardHelpOptions = true)
final class CopyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "The image to copy (see Sources below).")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Where to copy it (see Destinations below).")
    String destination;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Copy only this image of an index (to a registry; other destinations always take one: "
                    + "this, else the only one, else the host's).")
    String platform;

    @Option(names = "--src-creds", paramLabel = "USER:PASSWORD",
            description = "Credentials for the source registry, when they differ from --creds.")
    String sourceCreds;

    @Option(names = {"-q", "--quiet"}, description = "Print only the manifest digest.")
    boolean quiet;

    @Option(names = "--json", description = "Print the result as JSON on stdout (with each pushed blob's fate).")
    boolean json;

    @Option(names = "--all-platforms",
            description = "Copy an index whole to an oci: or oci-archive: destination too (nested, as skopeo copy --all writes it). A registry always takes the whole index.")
    boolean allPlatforms;

    @Option(names = "--remove-signatures",
            description = "Do not carry the image's signatures and attestations (sha256-<digest>.sig/.att) along. By default they go with it between registries and oci: layouts.")
    boolean removeSignatures;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PushProgress progress = new PushProgress(err, Distrolix.console(), quiet || json);
        RegistrySettings settings = registry.settings(progress);
        RegistrySettings sourceSettings = sourceCreds == null ? settings
                : settings.withExplicitCredentials(Credentials.parse(sourceCreds, "--src-creds"));
        // the source's signatures and attestations are read before the image is written: one that cannot be read
        // fails the copy with nothing written; they are added to the destination's once the image is there
        List<List<dev.distrolix.sign.AttachmentCopy.Pending>> pending = new java.util.ArrayList<>();
        CopyResult r = ImageCopy.copy(source, destination, sourceSettings, settings,
                platform == null ? null : dev.distrolix.image.PlatformChoice.parse(platform), allPlatforms,
                removeSignatures ? null : (artifact, target) -> pending.add(readSignatures(artifact, target, sourceSettings)));
        List<String> carried = pending.isEmpty() ? List.of() : dev.distrolix.sign.AttachmentCopy.write(pending.get(0),
                dev.distrolix.transport.ImageReference.parseTarget(r.target()), settings);
        // the archive went to standard output: the report goes aside
        PrintWriter out = OutputFileTargets.toStandardOutput(destination, null) ? err : stdout;
        if (json) {
            out.println(toJson(r));
        } else if (quiet) {
            out.println(r.digest());
        } else {
            out.println("copied   " + r.source());
            out.println("to       " + r.target());
            out.println("digest   " + r.digest());
            PushResult p = r.push();
            if (p != null) {
                out.println(String.format(Locale.ROOT, "blobs    %d uploaded (%s), %d already there, %d mounted",
                        p.count(PushResult.Fate.UPLOADED), Sizes.human(p.uploadedBytes()),
                        p.count(PushResult.Fate.EXISTS), p.count(PushResult.Fate.MOUNTED)));
            }
            carried.forEach(t -> out.println("carried  " + t));
        }
        out.flush();
        return 0;
    }

    /**
     * The source's signatures and attestations of the image to be copied (and of each image of an index copied whole),
     * read whole.
     */
    private List<dev.distrolix.sign.AttachmentCopy.Pending> readSignatures(dev.distrolix.image.Artifact artifact,
            dev.distrolix.transport.ImageReference target, RegistrySettings sourceSettings) throws IOException {
        List<dev.distrolix.blob.Digest> digests = new java.util.ArrayList<>(List.of(artifact.manifestDigest()));
        if (artifact instanceof dev.distrolix.image.ImageIndex index) {
            index.manifests().forEach(d -> digests.add(d.digest()));
        }
        return dev.distrolix.sign.AttachmentCopy.read(dev.distrolix.transport.ImageReference.parseSource(source),
                sourceSettings, target, digests);
    }

    static String toJson(CopyResult r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", r.source());
        m.put("target", r.target());
        m.put("digest", r.digest().toString());
        if (r.push() != null) {
            m.put("push", PushJson.of(r.push()));
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    }
}
