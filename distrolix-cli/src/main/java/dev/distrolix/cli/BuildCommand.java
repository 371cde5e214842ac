package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.build.BuildResult;
import dev.distrolix.build.ImageBuild;
import dev.distrolix.build.LockedInputs;
import dev.distrolix.registry.PushResult;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "build",
        description = {
            "Builds an image from a spec file (YAML or JSON).",
            "",
            "The spec is YAML, or JSON with the same schema. It names Nix packages; distrolix asks the installed Nix for their runtime closure, "
                + "splits it into reproducible layers (the same inputs give the same digest, on any machine), "
                + "adds the declared files, users and directories as a last layer, and writes the image.",
        },
        footerHeading = "%nTargets (-o):%n",
        footer = {
            "  oci:DIR[:TAG]                      an OCI image layout (skopeo, umoci, podman read it)",
            "  oci-archive:FILE[:TAG]             the same layout as one tar file",
            "  docker-archive:FILE[:NAME:TAG]     a tar that `docker load` and `podman load` accept",
            "  podman[:NAME:TAG], docker[:NAME:TAG]  load straight into the local image store",
            "  docker://HOST[:PORT]/REPO[:TAG,…]  push (layers it has are not sent)",
            "",
            "Examples:",
            "  distrolix build examples/nginx/image.yaml -o oci:out/nginx",
            "  nix-instantiate --eval --strict --json image.nix | distrolix build - -o oci:out/app",
            "  distrolix build image.yaml -o docker://registry.example.com/app:1.0,latest",
            "  distrolix build image.yaml -o docker://127.0.0.1:5000/app --creds ci:$TOKEN",
            "  distrolix build image.yaml -o podman --tag dev",
            "  distrolix build image.yaml -o docker-archive:nginx.tar --compression zstd --layering size",
            "  SOURCE_DATE_EPOCH=$(git log -1 --format=%%ct) distrolix build image.yaml -o oci:out",
        },
        mixinStandardHelpOptions = true)
final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC",
            description = "The image spec (image.yaml or image.json), or - to read it from stdin (JSON when it starts with {\", else YAML).")
    Path specFile;

    @Option(names = "--base-dir", paramLabel = "DIR",
            description = "The folder the spec's relative paths (source:, .nix files, nixpkgs) are resolved against. Default: the spec file's folder; for - the working directory.")
    Path baseDir;

    @Option(names = {"-o", "--output"}, paramLabel = "TARGET",
            description = "Where to write the image (see Targets below). Default: oci:out/NAME")
    String target;

    @Option(names = "--tag", description = "The image tag. Default: the spec's tag, else one derived from the content.")
    String tag;

    @Option(names = "--layering", paramLabel = "STRATEGY",
            description = "popularity (dockerTools' legacy), size (nixpkgs' auto-layer), per-path or single. Default: the spec's, else popularity.")
    String layering;

    @Option(names = "--max-layers", paramLabel = "N", description = "At most N layers, 2..127. Default: the spec's, else 100.")
    Integer maxLayers;

    @Option(names = "--compression", paramLabel = "ALGO", description = "gzip, zstd or none. Default: the spec's, else gzip.")
    String compression;

    @Option(names = {"-I", "--include"}, paramLabel = "PATH",
            description = "Add to the Nix search path, as nix-build -I does (e.g. -I nixpkgs=/path/to/nixpkgs).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "The layer cache (default: layers/ under $DISTROLIX_CACHE_DIR, else $XDG_CACHE_HOME/distrolix, else ~/.cache/distrolix). A layer whose inputs did not change is reused, verified, not rebuilt.")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Build every layer; neither read nor write the cache (nor take layers from registries).")
    boolean noCache;

    @Option(names = "--cache-from", paramLabel = "docker://REF",
            description = "Also take layers from this image in a registry where their cache keys match (repeatable), as from the image already under a docker:// target's tag, which is always consulted: each is fetched and checked against its digest and diff_id instead of made.")
    List<String> cacheFrom = new ArrayList<>();

    @Option(names = "--digest-file", paramLabel = "FILE",
            description = "Also write the manifest digest to FILE (its folder must exist). Written together with the image: if either fails, neither is replaced.")
    Path digestFile;

    @Option(names = {"-q", "--quiet"}, description = "Print only the manifest digest.")
    boolean quiet;

    @Option(names = "--json", description = "Print the result as JSON on stdout (with each pushed blob's fate).")
    boolean json;

    @Option(names = "--locked",
            description = "Build from SPEC's lock (NAME.lock.json, written by distrolix lock) and its binary caches alone: no Nix, nothing read from /nix/store. Fails if the lock is missing or the spec changed since.")
    boolean locked;

    @Option(names = "--no-lock",
            description = "Evaluate the spec with Nix even when a fresh lock is beside it (by default a fresh NAME.lock.json pins the packages, read from the local store when it has them as locked, else from the lock's binary caches).")
    boolean noLock;

    @Option(names = "--platform", paramLabel = "OS/ARCH[,…]", split = ",",
            description = "Build these platforms (e.g. linux/amd64,linux/arm64): an image index, each image from the packages evaluated for its system. Default: the spec's platforms, else one image for Nix's own system.")
    List<String> platforms;

    @Option(names = "--sign-key", paramLabel = "KEY",
            description = "Sign the image (cosign's format, sha256-<digest>.sig) and attest its SBOM and SLSA provenance "
                    + "(sha256-<digest>.att) with this cosign private key: a file, or env://NAME. Password: COSIGN_PASSWORD. "
                    + "For docker:// and oci: targets.")
    String signKey;

    @Option(names = "--no-attest", description = "With --sign-key: sign only, attach no SBOM or provenance.")
    boolean noAttest;

    @Option(names = "--identity", paramLabel = "HOST/REPO:TAG",
            description = "With --sign-key and an oci: target: the reference the signature names (where the image will be pulled from).")
    String identity;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    public Integer call() throws IOException {
        pushedWithoutFetch = null;
        madeNoLayer = false;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = quiet || json ? Progress.silent() : Progress.forTerminal(err, Distrolix.console());
        ImageBuild build = specBuild()
                .includes(includes)
                .listener(progress);
        if (target != null) {
            build.target(target);
        }
        if (noCache) {
            build.cacheDir(null);
        } else if (cacheDir != null) {
            build.cacheDir(cacheDir);
        }
        if (tag != null) {
            build.tag(tag);
        }
        if (layering != null) {
            build.layering(layering);
        }
        if (maxLayers != null) {
            build.maxLayers(maxLayers);
        }
        if (compression != null) {
            build.compression(compression);
        }
        build.cacheFrom(cacheFrom);
        if (platforms != null) {
            build.platforms(platforms);
        }
        if (digestFile != null) {
            build.digestFile(digestFile); // committed with the image, never after a failed one
        }
        PushProgress push = new PushProgress(err, Distrolix.console(), quiet || json);
        List<String> signingLines = new ArrayList<>();
        if (signKey != null) {
            if (target != null) {
                var parsed = dev.distrolix.transport.ImageReference.parseTarget(target);
                dev.distrolix.sign.SigningStep.checkTarget(parsed);
                if (identity != null && parsed instanceof dev.distrolix.transport.ImageReference.Registry) {
                    throw new dev.distrolix.InputException("--identity is for oci: targets; a pushed image is signed as"
                            + " the name it is pushed under");
                }
            }
            build.afterWrite(new dev.distrolix.sign.SigningStep(
                    dev.distrolix.sign.SigningKeys.signerInBackground(signKey, System::getenv),
                    registry.settings(), identity, !noAttest, SbomCommand.created(), SbomCommand.toolVersion(),
                    signingLines::add).scans(noCache ? null : dev.distrolix.inspect.scan.ScanCache.in(
                    dev.distrolix.inspect.scan.ScanCache.beside(cacheDir != null ? cacheDir
                            : dev.distrolix.cache.LayerCache.defaultDir()))));
        } else if (noAttest || identity != null) {
            throw new dev.distrolix.InputException((noAttest ? "--no-attest" : "--identity") + " needs --sign-key");
        }
        BuildResult r;
        if (locked && noLock) {
            throw new dev.distrolix.InputException("--locked and --no-lock contradict each other: choose one");
        }
        LockedInputs.LockUse use = locked ? LockedInputs.LockUse.REQUIRED
                : noLock ? LockedInputs.LockUse.IGNORED : LockedInputs.LockUse.IF_FRESH;
        r = build.lock(specFile.toString().equals("-") ? null : specFile, use)
                .registry(registry.settings(push)).build();
        pushedWithoutFetch = pushedWithoutFetch(r);
        madeNoLayer = r.layers().stream().allMatch(l -> l.cached() || l.fetched());
        progress.finish();
        if (OutputFileTargets.toStandardOutput(target, digestFile)) {
            out = spec.commandLine().getErr(); // the image or its digest went to standard output: the report goes aside
        }
        if (json) {
            out.println(toJson(r, push.result(), signingLines));
        } else if (quiet) {
            out.println(r.manifestDigest());
        } else {
            out.println(Sizes.summary(r));
            signingLines.forEach(out::println);
        }
        out.flush();
        return 0;
    }

    /**
     * The image this run's build pushed, with the settings it pushed with, when it took no layer from a registry
     * though it could have (a layer cache, a {@code docker://} target): what a run recording a start-up archive
     * reads back ({@link Distrolix#readBackPushed}). Null otherwise, and before a build ran through.
     */
    static volatile PushedImage pushedWithoutFetch;

    /**
     * Whether this run's build made no layer (each came from the layer cache or a registry: an unchanged rebuild or
     * re-push): an archive it records lacks the code that makes and uploads one ({@link Distrolix#markPartial}).
     */
    static volatile boolean madeNoLayer;

    record PushedImage(dev.distrolix.transport.ImageReference.Registry ref, RegistrySettings settings) {}

    private PushedImage pushedWithoutFetch(BuildResult r) {
        if (noCache || r.layers().stream().anyMatch(BuildResult.LayerSummary::fetched)) {
            return null;
        }
        try {
            return dev.distrolix.transport.ImageReference.parseTarget(r.target())
                    instanceof dev.distrolix.transport.ImageReference.Registry pushed
                    ? new PushedImage(pushed, registry.settings()) : null;
        } catch (RuntimeException notOne) {
            return null; // several tags, say: the archive does without
        }
    }

    /** The spec file, or stdin for "-"; either way the image depends on the content alone. */
    private ImageBuild specBuild() {
        if (specFile.toString().equals("-")) {
            Path base = baseDir != null ? baseDir : Path.of("");
            return ImageBuild.fromSpec(() -> SpecLoader.fromStream(System.in, "<stdin>", base));
        }
        return ImageBuild.fromSpec(specFile, baseDir);
    }

    static String toJson(BuildResult r, PushResult pushed) throws IOException {
        return toJson(r, pushed, List.of());
    }

    static String toJson(BuildResult r, PushResult pushed, List<String> signing) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", r.imageName() + ":" + r.tag());
        m.put("target", r.target());
        m.put("manifestDigest", r.manifestDigest().toString());
        m.put("configDigest", r.configDigest().toString());
        if (!r.platforms().isEmpty()) {
            m.put("platforms", r.platforms().stream().map(p -> {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("platform", p.platform());
                pm.put("manifestDigest", p.manifestDigest().toString());
                pm.put("configDigest", p.configDigest().toString());
                return pm;
            }).toList());
        }
        m.put("compressedSize", r.compressedSize());
        m.put("uncompressedSize", r.uncompressedSize());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (BuildResult.LayerSummary l : r.layers()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("digest", l.digest().toString());
            lm.put("diffId", l.diffId().toString());
            lm.put("mediaType", l.mediaType());
            lm.put("size", l.size());
            lm.put("uncompressedSize", l.uncompressedSize());
            lm.put("storePaths", l.storePaths());
            lm.put("fate", l.fate());
            layers.add(lm);
        }
        m.put("layers", layers);
        m.put("notices", r.notices());
        if (pushed != null) {
            m.put("push", PushJson.of(pushed));
        }
        if (!signing.isEmpty()) {
            m.put("signing", signing);
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    }
}
