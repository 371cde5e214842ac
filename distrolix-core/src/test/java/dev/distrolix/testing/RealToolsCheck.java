package dev.distrolix.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Checks with the real skopeo that what a registry holds is a complete, uncorrupted image. */
public final class RealToolsCheck {
    private RealToolsCheck() {}

    /** {@code skopeo copy docker://REF dir:DIR}, which re-hashes every blob it reads; fails the test otherwise. */
    public static void skopeoCopyVerifies(String ref, Path dir) {
        Fixtures.run("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + ref, "dir:" + dir);
    }

    /** As {@link #skopeoCopyVerifies}, for a registry that wants credentials. */
    public static void skopeoCopyVerifiesWithCreds(String ref, String creds, Path dir) {
        Fixtures.run("skopeo", "copy", "-q", "--src-tls-verify=false", "--src-creds", creds, "docker://" + ref,
                "dir:" + dir);
    }

    /** The stderr of a failing {@code skopeo inspect}; fails the test if it succeeds. */
    public static String skopeoInspectFails(String ref) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("skopeo", "inspect", "--tls-verify=false", "docker://" + ref)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() == 0) {
            throw new AssertionError("skopeo inspect docker://" + ref + " succeeded: " + out);
        }
        return out;
    }
}
