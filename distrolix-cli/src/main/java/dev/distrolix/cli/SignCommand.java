package dev.distrolix.cli;

import dev.distrolix.sign.AttachmentStore;
import dev.distrolix.sign.AttachmentStores;
import dev.distrolix.sign.ImageSigning;
import dev.distrolix.sign.SbomPredicate;
import dev.distrolix.sign.Signer;
import dev.distrolix.sign.SigningKeys;
import dev.distrolix.sign.Statements;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sign",
        description = {
            "Signs an image (cosign's format).",
            "",
            "A simple-signing payload naming the image's manifest digest and "
                + "reference, signed with an ECDSA P-256 key, stored as a layer of the manifest tagged "
                + "sha256-<digest>.sig beside the image. Existing signatures stay (a signature this key already "
                + "made for this digest is not added again). podman, skopeo and cosign verify it.",
            "",
            "The key's password comes from COSIGN_PASSWORD, else the terminal; never from the command line.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  distrolix sign docker://registry.example.com/app:1.0 --key cosign.key",
            "  distrolix sign oci:out/app:1.0 --key env://SIGNING_KEY --identity registry.example.com/app:1.0",
            "  distrolix sign docker://127.0.0.1:5000/app:1 --key cosign.key --sbom",
        },
        mixinStandardHelpOptions = true)
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "docker://HOST[:PORT]/REPO[:TAG|@DIGEST] or oci:DIR:TAG.")
    String image;

    @Option(names = "--key", required = true, paramLabel = "KEY",
            description = "The cosign private key: a file, or env://NAME for its PEM text in an environment variable.")
    String key;

    @Option(names = "--identity", paramLabel = "HOST/REPO:TAG",
            description = "For oci: the reference the signature names (where the image will be pulled from). "
                    + "Default: the name the layout records for the image.")
    String identity;

    @Option(names = "--sbom", description = "Also attest the image's SBOM (CycloneDX, as distrolix sbom writes it) "
            + "in sha256-<digest>.att. Provenance is attested by build --sign-key, which knows it.")
    boolean sbom;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    public Integer call() throws IOException {
        Signer signer = SigningKeys.signer(key, System::getenv); // a wrong key or password fails before any request
        AttachmentStore store = AttachmentStores.open(image, registry.settings(), true, identity);
        ImageSigning.Signed signed = ImageSigning.sign(store, signer, "distrolix " + SbomCommand.toolVersion());
        PrintWriter out = spec.commandLine().getOut();
        out.println((signed.added() ? "signed " : "already signed (nothing added) ") + store.where() + " "
                + signed.imageDigest() + " as " + signed.identity() + " (" + signed.tag() + ")");
        if (sbom) {
            // the image the signature names, by digest: the tag may have moved since it was resolved
            String source = store instanceof dev.distrolix.sign.RegistryAttachments
                    ? "docker://" + store.where() + "@" + signed.imageDigest() : image;
            com.fasterxml.jackson.databind.JsonNode doc;
            try (OpenedImage o = Transports.open(source, registry.settings())) {
                if (!(o.artifact() instanceof dev.distrolix.image.Image img)) {
                    throw new dev.distrolix.InputException(image + " is an index: --sbom attests one image (sign each"
                            + " platform's image by digest with --sbom)");
                }
                if (!img.manifestDigest().equals(signed.imageDigest())) {
                    throw new dev.distrolix.InputException(image + " changed while it was signed (now "
                            + img.manifestDigest() + "): run sign again");
                }
                doc = SbomPredicate.of(store.identity(), img, SbomCommand.created(), SbomCommand.toolVersion(),
                        SbomCommand.scans());
            }
            String tag = ImageSigning.attest(store, signer,
                    List.of(new ImageSigning.Predicate(Statements.Kind.SBOM, doc)));
            out.println("attested " + store.where() + " " + signed.imageDigest() + ": sbom (" + tag + ")");
        }
        out.flush();
        return 0;
    }
}
