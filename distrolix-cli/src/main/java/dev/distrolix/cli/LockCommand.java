package dev.distrolix.cli;

import dev.distrolix.InputException;
import dev.distrolix.build.Locking;
import dev.distrolix.lock.ImageLock;
import dev.distrolix.lock.NixConf;
import dev.distrolix.lock.SubstituterRetry;
import dev.distrolix.nix.NixCli;
import dev.distrolix.registry.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lock", mixinStandardHelpOptions = true,
        description = {
            "Pins a spec's whole closure to signed binary-cache entries.",
            "",
            "Writes NAME.lock.json beside SPEC (image.yaml gives image.lock.json).",
            "",
            "Nix evaluates the packages and the closure; every closure path's narinfo is read from the substituters, "
                + "its signature checked against the trusted keys, and its NarHash, NarSize, references and signatures "
                + "recorded. Then `distrolix build SPEC --locked` builds without Nix. Locking an unchanged spec again "
                + "gives the same bytes.",
        },
        footer = {"", "Example:",
            "  distrolix lock image.yaml --substituter https://cache.example.org --trusted-public-key cache-1:AbC…="})
final class LockCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The image spec (image.yaml or image.json).")
    Path specFile;

    @Option(names = "--substituter", paramLabel = "URL",
            description = "A binary cache (http://, https:// or file://), tried in the order given. Default: nix.conf's substituters.")
    List<String> substituters = new ArrayList<>();

    @Option(names = "--trusted-public-key", paramLabel = "NAME:KEY",
            description = "A key whose signatures are trusted (as nix-store --generate-binary-cache-key writes it). Default: nix.conf's trusted-public-keys.")
    List<String> keys = new ArrayList<>();

    @Option(names = {"-I", "--include"}, paramLabel = "PATH",
            description = "Add to the Nix search path, as nix-build -I does (e.g. -I nixpkgs=/path/to/nixpkgs).")
    List<String> includes = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (specFile.toString().equals("-")) {
            throw new InputException("lock needs a spec file (the lock is written beside it), not -");
        }
        NixConf conf = substituters.isEmpty() || keys.isEmpty() ? NixConf.load() : null;
        List<String> subs = substituters.isEmpty() ? conf.substituters() : substituters;
        List<String> trusted = keys.isEmpty() ? conf.trustedPublicKeys() : keys;
        ImageLock lock = Locking.lock(specFile, NixCli.create(), includes, subs, trusted,
                SubstituterRetry.of(RetryPolicy.DEFAULT));
        Path file = ImageLock.fileFor(specFile.toAbsolutePath());
        // a fresh name beside it (the mode the umask gives, as any written file), then renamed over it
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(tmp, lock.toJson(), java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        long bytes = lock.allPaths().stream().mapToLong(ImageLock.LockedPath::narSize).sum();
        String platforms = !lock.multiPlatform() ? "" : lock.closures().size() + " platforms ("
                + String.join(", ", lock.systems().stream().map(s -> dev.distrolix.nix.NixSystem.parse(s).platform()).toList())
                + "), ";
        spec.commandLine().getOut().printf("locked    %s: %s%d packages, %d store paths, %s, from %s%n",
                specFile.getParent() == null ? file.getFileName() : specFile.getParent().resolve(file.getFileName().toString()),
                platforms, lock.closure().packages().size(), lock.allPaths().size(), Sizes.human(bytes),
                String.join(" ", lock.substituters()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
