package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerivationFileTest {
    /** The fixture's nginx for arm64, as Nix 2.8 wrote it (env shortened). */
    static final String NGINX_ARM64 = "Derive([(\"out\",\"/nix/store/lz119g94m2rp1lfj1nkfx12mskpgxcp1-nginx-1.22.1\",\"\",\"\")],"
            + "[(\"/nix/store/7wfhd4sqj9hh1a3lg43qkl41dqffqnyn-openssl-3.0.22.drv\",[\"out\"]),"
            + "(\"/nix/store/v4djd4ajc2li8m1dgdc3wxvpkj8l15k3-glibc-2.36.drv\",[\"out\"])],"
            + "[\"/nix/store/lc0gy4kbpxs1j6kqfmyp4b23lb7mw7f5-builder.sh\"],\"aarch64-linux\",\"/bin/sh\","
            + "[\"-e\",\"/nix/store/lc0gy4kbpxs1j6kqfmyp4b23lb7mw7f5-builder.sh\"],"
            + "[(\"name\",\"nginx-1.22.1\"),(\"system\",\"aarch64-linux\")])";

    private static Optional<String> system(String text) throws IOException {
        return DerivationFile.system(new StringReader(text));
    }

    @Test
    void readsTheSystemField() throws IOException {
        assertThat(system(NGINX_ARM64)).contains("aarch64-linux");
        assertThat(system("Derive([],[],[],\"x86_64-linux\",\"/bin/sh\",[],[])")).contains("x86_64-linux");
    }

    @Test
    void escapesAndBracketsInsideEarlierStringsAreSkipped() throws IOException {
        // a quote, a backslash and brackets inside strings must not end or open anything
        String drv = "Derive([(\"out\",\"/nix/store/x\\\"],[(\\\\\",\"\",\"\")],[],[\"a)b\",\"c]d\\\\\"],\"riscv64-linux\",\"b\",[],[])";
        assertThat(system(drv)).contains("riscv64-linux");
    }

    @Test
    void anythingElseIsNotKnown() throws IOException {
        assertThat(system("")).isEmpty();
        assertThat(system("DrvWithVersion(\"xp-dyn-drv\",[],[],[],\"x86_64-linux\")")).isEmpty();
        assertThat(system("Derive([],[],\"x86_64-linux\",\"b\")")).isEmpty(); // a field missing
        assertThat(system("Derive([],[],[],\"\",\"b\")")).isEmpty(); // empty
        assertThat(system("Derive([],[],[],[\"x86_64-linux\"],\"b\")")).isEmpty(); // not a string
        assertThat(system("Derive([],[],[],\"x86\\\\_64\",\"b\")")).isEmpty(); // an escape
        assertThat(system("Derive([],[],[],\"x86_64-linux")).isEmpty(); // truncated
        assertThat(system(NGINX_ARM64.substring(0, 200))).isEmpty();
        assertThat(system("Derive([\"unterminated],[],[],\"x\",\"b\")")).isEmpty();
        assertThat(system("Derive([],[],[]\"x86_64-linux\",\"b\")")).isEmpty(); // no comma
        assertThat(system("Derive([],[],[],\"" + "x".repeat(300) + "\",\"b\")")).isEmpty();
    }

    @Test
    void deepNestingAndEndlessInputAreBounded() throws IOException {
        String deep = "Derive(" + "[".repeat(100_000) + "]".repeat(100_000) + ",[],[],\"x86_64-linux\",\"b\")";
        assertThat(system(deep)).isEmpty(); // no stack overflow: refused past a few levels
        // an endless first string: given up after the cap, not read forever
        Reader endless = new Reader() {
            long served;

            @Override
            public int read(char[] buf, int off, int len) {
                String head = "Derive([\"";
                for (int i = 0; i < len; i++) {
                    buf[off + i] = served < head.length() ? head.charAt((int) served) : 'a';
                    served++;
                }
                return len;
            }

            @Override
            public void close() {}
        };
        assertThat(DerivationFile.system(endless)).isEmpty();
    }

    @Test
    void fromAFileAndFromNoFile(@TempDir Path dir) throws IOException, InterruptedException {
        Path drv = dir.resolve("x-nginx.drv");
        Files.writeString(drv, NGINX_ARM64, StandardCharsets.UTF_8);
        assertThat(DerivationFile.system(drv)).contains("aarch64-linux");
        assertThat(DerivationFile.system(dir.resolve("gone.drv"))).isEmpty();
        assertThat(DerivationFile.system(dir)).isEmpty(); // a folder
        Path fifo = dir.resolve("fifo.drv");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertThat(fifo).exists();
        assertThat(DerivationFile.system(fifo)).isEmpty(); // not opened: it would block
        Files.write(drv, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThat(DerivationFile.system(drv)).isEmpty();
    }
}
