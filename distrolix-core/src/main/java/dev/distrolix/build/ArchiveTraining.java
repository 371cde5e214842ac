package dev.distrolix.build;

import dev.distrolix.nix.StorePath;
import dev.distrolix.registry.RegistrySettings;
import dev.distrolix.rootfs.StoreDirectoryLister;
import dev.distrolix.spec.ImageSpec;
import dev.distrolix.spec.ResolvedSpec;
import dev.distrolix.spec.SpecLoader;
import dev.distrolix.spec.SpecRenderer;
import dev.distrolix.tar.LayerEntry;
import dev.distrolix.tar.ReproducibleTarWriter;
import dev.distrolix.transport.ImageReference;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run that records a start-up archive does after its own work: reads, renders and lays out a spec that
 * uses every kind of entry a spec can declare, so that the archive holds the classes (and the lambdas' and string
 * concatenations' linked call sites) of spec features the recording run's own spec did not use. A JVM links
 * whatever the archive lacks at run time, and spinning those classes is slow that early: a cold nginx build took
 * 1.07x the time with an archive a spec without accounts, paths or a profile had made.
 *
 * <p>Nothing in {@link #run} reaches Nix, the network, the layer cache or the run's output: the package is a folder
 * under {@code dir}, the layer's tar goes nowhere. {@link #readBack} reads the image the run pushed.
 */
public final class ArchiveTraining {
    /** A spec with each kind of declaration: vars, accounts, a profile, files, directories, symlinks, config. */
    private static final String SPEC = """
            name: training
            vars: { port: 8080, greeting: hello }
            packages: [ tool, other ]
            accounts:
              groups:
                - { name: app, gid: 1000 }
                - name: extra
                  gid: 1001
              users:
                - { name: app, uid: 1000, group: app, home: /home/app, groups: [extra] }
                - name: other
                  uid: 1001
                  group: extra
                  home: /var/empty
                  shell: /sbin/nologin
            profile: { prefix: /usr/local }
            paths:
              - { path: /etc/app/app.conf, source: app.conf, interpolate: true }
              - { path: /etc/app/raw.txt, source: app.conf }
              - path: /etc/app/inline.txt
                content: "${greeting} on ${port}, $${not} ${packages.tool}\\n"
                mode: "0640"
                owner: app
                group: app
              - { path: /home/app, type: directory, owner: app, group: app, mode: "0700" }
              - { path: /tmp, type: directory, mode: "1777" }
              - { path: /usr/bin/tool, type: symlink, target: "${packages.tool}/bin/tool" }
            config:
              entrypoint: ["/usr/local/bin/tool", "--port", "${port}"]
              cmd: ["serve"]
              working-dir: /home/app
              user: app
              env: { PATH: /usr/local/bin, GREETING: "${greeting}" }
              exposed-ports: ["${port}/tcp", "53/udp"]
              volumes: [/home/app]
              stop-signal: SIGTERM
              labels: { org.opencontainers.image.title: training }
            layering: { strategy: popularity, max-layers: 10 }
            """;

    private ArchiveTraining() {
    }

    /**
     * Runs the spec above through reading, rendering and the declared files' layer, in {@code dir} (an empty
     * folder the caller removes), and returns the layer's paths; throws what any step throws.
     */
    public static List<String> run(Path dir) throws IOException {
        // two packages with a bin/ each: the profile merges the folders both have and links the rest
        Map<String, StorePath> packages = Map.of(
                "tool", StorePath.fromBaseName("/nix/store", "0123456789abcdfghijklmnpqrsvwxyz-tool-1.0"),
                "other", StorePath.fromBaseName("/nix/store", "zyxwvsrqpnmlkjihgfdcba9876543210-other-2.0"));
        for (Map.Entry<String, StorePath> p : packages.entrySet()) {
            Path bin = dir.resolve(p.getValue().fullPath().substring(1)).resolve("bin");
            Files.createDirectories(bin);
            Files.write(bin.resolve(p.getKey()), new byte[] {0});
            Files.createSymbolicLink(bin.resolve(p.getKey() + "-link"), Path.of(p.getKey()));
        }
        Files.createDirectories(dir.resolve(packages.get("tool").fullPath().substring(1)).resolve("share/tool"));
        Files.writeString(dir.resolve("app.conf"), "listen ${port};\n", StandardCharsets.UTF_8);
        ImageSpec spec = SpecLoader.fromString(SPEC, "training.yaml", dir);
        ResolvedSpec resolved = SpecRenderer.render(spec, packages);
        ContainerConfigs.of(resolved.config());
        CustomisationLayer layer = CustomisationLayer.of(resolved, StoreDirectoryLister.local(dir));
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(OutputStream.nullOutputStream())) {
            for (LayerEntry e : layer.entries()) {
                tar.write(e); // closing writes the end blocks
            }
        }
        return layer.entries().stream().map(LayerEntry::path).toList();
    }

    /**
     * Reads the image a recording build just pushed to {@code pushed} the way a build from an empty layer cache
     * reads the image under its target (manifest, config, the layers' keys; no layer fetched), and returns how
     * many of its layers carry a key (-1: it could not be read). For a recording run of that kind whose target's
     * tag was absent (a first push): its archive would otherwise lack the classes of that read, which every later
     * such build makes at run time (~70: 1.06x the time of a fresh runner's build).
     */
    public static int readBack(ImageReference.Registry pushed, RegistrySettings settings) {
        // the run's own work is done: a registry that stops answering holds its exit 10 s at most
        return RegistryLayers.keyedLayers(pushed, settings.withDeadline(java.time.Duration.ofSeconds(10)));
    }
}
