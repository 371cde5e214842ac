package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.blob.Digest;
import dev.distrolix.registry.PushEvent;
import dev.distrolix.registry.PushEvent.State;
import dev.distrolix.registry.PushResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a push looks like on a terminal (lines redrawn in place) and in a CI log (one line per change). */
class PushProgressTest {
    static final Digest A = Digest.sha256("a".getBytes());
    static final Digest B = Digest.sha256("b".getBytes());

    static String render(boolean terminal) {
        StringWriter out = new StringWriter();
        PushProgress p = new PushProgress(new PrintWriter(out, true), terminal, false);
        p.on(new PushEvent.Started("docker://r/x:1", List.of(new PushEvent.Blob(A, 2_000_000, "layer"),
                new PushEvent.Blob(B, 500, "config"))));
        p.on(new PushEvent.BlobUpdate(A, 2_000_000, State.UPLOADING, 0, null));
        p.on(new PushEvent.BlobUpdate(B, 500, State.EXISTS, 500, null));
        p.on(new PushEvent.Retrying(A, 1, Duration.ofMillis(1500), "HTTP 503"));
        p.on(new PushEvent.BlobUpdate(A, 2_000_000, State.UPLOADING, 1_000_000, null));
        p.on(new PushEvent.BlobUpdate(A, 2_000_000, State.UPLOADED, 2_000_000, null));
        p.on(new PushEvent.ManifestPushed("1", A, "application/vnd.oci.image.manifest.v1+json"));
        PushResult r = new PushResult("r", "x", List.of("1"), A, "m", List.of(
                new PushResult.BlobOutcome(A, 2_000_000, "l", PushResult.Fate.UPLOADED, null),
                new PushResult.BlobOutcome(B, 500, "c", PushResult.Fate.EXISTS, null)));
        p.on(new PushEvent.Finished(r));
        assertThat(p.result()).isSameAs(r);
        return out.toString();
    }

    @Test
    void ciLogGetsPlainLines() {
        assertThat(render(false)).isEqualTo(""
                + "push      docker://r/x:1 (2 blobs)\n"
                + "blob      " + A.hex().substring(0, 12) + ": Uploading 2.0 MB\n"
                + "blob      " + B.hex().substring(0, 12) + ": Layer already exists\n"
                + "retry     " + A.hex().substring(0, 12) + " in 1.5 s (attempt 1 failed: HTTP 503)\n"
                + "blob      " + A.hex().substring(0, 12) + ": Pushed 2.0 MB in 0.0 s\n"
                + "manifest  1 " + A + "\n"
                + "pushed    1 uploaded (2.0 MB), 1 already there, 0 mounted\n");
    }

    @Test
    void terminalRedrawsOneLinePerBlobInPlace() {
        String s = render(true);
        assertThat(s).contains("\033[2A", "\r\033[2K")
                .contains(A.hex().substring(0, 12) + ": Uploading [" + " ".repeat(30) + "] 0 B/2.0 MB")
                .contains("\033[J" + "retry     ") // printed above the blob lines, which are drawn again below
                .contains(B.hex().substring(0, 12) + ": Layer already exists")
                .contains(A.hex().substring(0, 12) + ": Pushed 2.0 MB")
                .endsWith("pushed    1 uploaded (2.0 MB), 1 already there, 0 mounted\n");
    }

    @Test
    void progressBar() {
        assertThat(PushProgress.bar(0, 100)).isEqualTo("[" + " ".repeat(30) + "] 0 B/100 B");
        assertThat(PushProgress.bar(100, 100)).isEqualTo("[" + "=".repeat(29) + ">] 100 B/100 B");
    }
}
