package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.InputException;
import dev.distrolix.sign.AttachmentStore;
import dev.distrolix.sign.AttachmentStores;
import dev.distrolix.sign.ImageVerification;
import dev.distrolix.sign.SigningKeys;
import dev.distrolix.sign.Statements;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify",
        description = {
            "Verifies an image's signature and attestations.",
            "",
            "Exit 0 only if a signature by that key in sha256-<digest>.sig covers "
                + "the digest the image resolves to now (and, with --attestation, a signed attestation of that type "
                + "in sha256-<digest>.att has that digest as its subject). Signatures by cosign and skopeo verify too.",
            "",
            "Exit codes: 0 verified; 4 not verified (no signature, another key's, a signature for another digest, "
                + "no attestation of that type), one line saying which; 3 bad input (a key that is not an ECDSA "
                + "P-256 public key, malformed signature manifests); 1 the registry failed.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  distrolix verify docker://registry.example.com/app:1.0 --key cosign.pub",
            "  distrolix verify docker://127.0.0.1:5000/app:1 --key cosign.pub --attestation provenance --json",
            "  distrolix verify oci:out/app:1.0 --key env://SIGNING_PUB",
        },
        mixinStandardHelpOptions = true)
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "docker://HOST[:PORT]/REPO[:TAG|@DIGEST] or oci:DIR:TAG.")
    String image;

    @Option(names = "--key", required = true, paramLabel = "PUB",
            description = "The public key (PEM): a file, or env://NAME for its text in an environment variable.")
    String key;

    @Option(names = "--attestation", paramLabel = "TYPE", description = "Also require a signed attestation: sbom or provenance.")
    String attestation;

    @Option(names = "--json", description = "Print the verified payloads (and statements) as JSON.")
    boolean json;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    public Integer call() throws IOException {
        Optional<Statements.Kind> kind;
        try {
            kind = attestation == null ? Optional.empty() : Optional.of(Statements.Kind.parse(attestation));
        } catch (IllegalArgumentException e) {
            throw new InputException("--attestation: " + e.getMessage());
        }
        ECPublicKey pub = SigningKeys.publicKey(key, System::getenv);
        AttachmentStore store = AttachmentStores.open(image, registry.settings(), false, null);
        ImageVerification.Verified v = ImageVerification.verify(store, pub, kind);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("image", image);
            doc.put("digest", v.imageDigest().toString());
            doc.put("signatures", v.signatures().stream().map(p -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("dockerReference", p.dockerReference());
                s.put("manifestDigest", p.manifestDigest().toString());
                s.put("optional", p.optional());
                return s;
            }).toList());
            doc.put("attestations", v.attestations().stream().map(Statements.Parsed::statement).toList());
            out.println(m.writeValueAsString(doc));
        } else {
            out.println("verified " + store.where() + " " + v.imageDigest() + ": " + v.signatures().size()
                    + (v.signatures().size() == 1 ? " signature" : " signatures") + " by " + key
                    + " (signed as " + v.signatures().get(0).dockerReference() + ")"
                    + kind.map(k -> "; " + k.label() + " attestation verified").orElse(""));
        }
        out.flush();
        return 0;
    }
}
