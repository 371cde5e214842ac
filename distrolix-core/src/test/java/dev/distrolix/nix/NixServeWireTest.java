package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The wire format of {@code nix-store --serve} as {@link NixServe} reads it: what Nix sends, and what it must refuse. */
class NixServeWireTest {
    @Test
    void stringsGoRoundPaddedToEightBytes() throws IOException {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(300);
            for (int k = 0; k < n; k++) {
                b.appendCodePoint(random.nextInt(3) == 0 ? 0x20 + random.nextInt(0x3000) : 'a' + random.nextInt(26));
            }
            String s = b.toString();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            NixServe.writeString(out, s);
            NixServe.writeInt(out, 42);
            byte[] bytes = out.toByteArray();
            assertThat(bytes.length % 8).isZero();
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            assertThat(NixServe.readString(in)).isEqualTo(s);
            assertThat(NixServe.readInt(in)).isEqualTo(42); // the padding was read with the string
        }
    }

    @Test
    void integersAreLittleEndian() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NixServe.writeInt(out, 0x390c9debL);
        assertThat(out.toByteArray()).containsExactly(0xeb, 0x9d, 0x0c, 0x39, 0, 0, 0, 0);
    }

    @Test
    void aStringLongerThanAnyNixSendsIsRefusedBeforeItIsRead() {
        byte[] claim = new byte[8];
        claim[3] = 0x7f; // ~2 GB
        assertThatThrownBy(() -> NixServe.readString(new ByteArrayInputStream(claim)))
                .isInstanceOf(IOException.class).hasMessageContaining("a string of 2130706432 bytes");
    }

    @Test
    void aSetOfMoreEntriesThanAnyClosureIsRefusedBeforeItIsRead() {
        byte[] claim = new byte[8];
        claim[7] = (byte) 0x80; // negative as a Java long
        assertThatThrownBy(() -> NixServe.readStrings(new ByteArrayInputStream(claim)))
                .isInstanceOf(IOException.class).hasMessageContaining("a set of 9223372036854775808 strings");
    }

    @Test
    void anAnswerCutShortIsAnEndOfFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NixServe.writeInt(out, 2);
        NixServe.writeString(out, "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-one");
        byte[] whole = out.toByteArray();
        assertThatThrownBy(() -> NixServe.readStrings(new ByteArrayInputStream(whole))).isInstanceOf(EOFException.class);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3); // inside the first string's padding
        assertThatThrownBy(() -> NixServe.readStrings(new ByteArrayInputStream(cut))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> NixServe.readInt(new ByteArrayInputStream(new byte[5]))).isInstanceOf(EOFException.class);
    }

    @Test
    void aNarHashIsGivenInTheFormPathInfoPrints() {
        // libxcrypt-4.4.33 of the test package set: nix-store --serve and nix path-info --json of the same path
        assertThat(NixServe.sri("sha256:0kxgyl1b9s3qbf8813vr0w40qy7qlyhgr6bydgf1n6sx3fplg7zz"))
                .isEqualTo("sha256-/59HrxtdGxvca36Z/KCn+HgMCAd5j4CQW3jotAL1r08=");
        assertThatThrownBy(() -> NixServe.sri("md5:0kxgyl1b9s3qbf8813vr0w40qy7qlyhgr6bydgf1n6sx3fplg7zz"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
