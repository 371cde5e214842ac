package dev.distrolix.cli;

import dev.distrolix.InputException;
import dev.distrolix.sign.keys.CosignKeys;
import dev.distrolix.sign.keys.KeyPassword;
import dev.distrolix.sign.keys.PrivateKeyFile;
import dev.distrolix.sign.keys.PublicKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keygen",
        description = {
            "Writes a cosign signing key pair.",
            "",
            "PREFIX.key: ECDSA P-256, encrypted with scrypt and secretbox, mode 0600; PREFIX.pub: PEM. cosign, skopeo "
                + "and podman read both.",
            "",
            "The password comes from COSIGN_PASSWORD (set it to \"\" for none), else it is asked twice on the terminal.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  COSIGN_PASSWORD=… distrolix keygen                  # cosign.key, cosign.pub",
            "  COSIGN_PASSWORD= distrolix keygen --output-prefix ci/release",
        },
        mixinStandardHelpOptions = true)
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--output-prefix", paramLabel = "PREFIX", defaultValue = "cosign",
            description = "Write PREFIX.key and PREFIX.pub. Default: cosign.")
    String prefix;

    @Option(names = {"-f", "--force"}, description = "Replace existing key files.")
    boolean force;

    @Override
    public Integer call() {
        Path priv = Path.of(prefix + ".key");
        Path pub = Path.of(prefix + ".pub");
        Path dir = priv.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new InputException(priv + ": no such directory " + dir);
        }
        for (Path p : new Path[] {priv, pub}) {
            if (!force && Files.exists(p)) {
                throw new InputException(p + " exists: remove it or use --force");
            }
        }
        KeyPair pair = CosignKeys.generate();
        try (KeyPassword password = KeyPassword.forNewKey()) {
            PrivateKeyFile.write(priv, (ECPrivateKey) pair.getPrivate(), password.chars(), force);
        }
        PublicKeyFile.write(pub, pair.getPublic(), force);
        spec.commandLine().getOut().println("wrote " + priv + " (private, 0600) and " + pub);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
