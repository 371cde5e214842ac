package dev.distrolix.sign.keys;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;

/**
 * Key files cosign itself wrote, from cosign's own tests: {@code pkg/cosign/keys_test.go}
 * ({@code pemcosignkey}, {@code pemsigstorekey}, {@code pemcosigneckey}, password "hello";
 * {@code invalidrsawithpubkey}) and {@code pkg/signature/keys_test.go} ({@code ed25519PrivateKey},
 * empty password, and its public key).
 */
class CosignKeyRealFilesTest {
    static final char[] HELLO = "hello".toCharArray();

    /** ENCRYPTED COSIGN PRIVATE KEY, N=32768 (cosign's comment calls it RSA; it holds a P-256 key). */
    static final String COSIGN_TYPE_KEY = """
            -----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----
            eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OCwiciI6
            OCwicCI6MX0sInNhbHQiOiJ4WWdoc09JTUxUWGNOT0RsclNIOUNKc1FlOVFnZmN1
            cmUrMXlLdHh1TlkwPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
            Iiwibm9uY2UiOiI0cS9PSlVmaXJkSUkrUjZ0ajZBMmcyQ0JqL25xdFNicCJ9LCJj
            aXBoZXJ0ZXh0IjoiKzB4Q3NzcFN0WStBczdKanJpOWtsbHBWd2JhcUI4ZWJNdWto
            eS9aVE1MSXRsL3B1YS9jWVJvbytLRGxMWWdmOW1kSjk4K1FnQW9oTktoYnJPMTcw
            MHdBY1JTMjFDOE4zQUNJRUVZaWpOMllBNnMraGJSbkhjUnd4eGhDMDFtb2FvL0dO
            Y1pmbEJheXZMV3pXblo4d2NDZ2ZpT1o1VXlRTEFJMHh0dnR6dEh3cTdDV1Vhd3V4
            RlhlNDZzck9TUE9SNHN6bytabWErUGovSFE9PSJ9
            -----END ENCRYPTED COSIGN PRIVATE KEY-----
            """;
    /** ENCRYPTED SIGSTORE PRIVATE KEY, N=32768. */
    static final String SIGSTORE_TYPE_KEY = """
            -----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----
            eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OCwiciI6
            OCwicCI6MX0sInNhbHQiOiI3T3VGd2VsbWZZNXVId2NoaURSc210anNwZ2ZlZjFG
            Mk5lOGFDTjVLYVpZPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
            Iiwibm9uY2UiOiJQNHk4OGhCb3ZTa09MbXN0bFVBaGJwdDJ0K2xTNUxQSCJ9LCJj
            aXBoZXJ0ZXh0IjoiMnB1QzdyZldJOWh3bnJlQ2s4aUZDRlVwQlRrSzRJNlIvbFBF
            cnBDekpXUGpJWXl4eGVIL1A2VW52cFJHdVhla1NNb3JMdGhLamdoQ1JlNy82NDVH
            QWtoVm1LRC92eEF0S2EvbE1abENSQ3FlekJGUFd1dzNpeFRtZ2xhb2J1ZFVSbUVs
            bmNGOGlZbzBTMVl6Y1ZOMVFwY2J2c0dNcUlYRzVlbmdteGp5dCtBcXlyZTF0Q0Y0
            V01tU1BlaEljNlBqd2h1Q2xHaVpJUWRvTGc9PSJ9
            -----END ENCRYPTED SIGSTORE PRIVATE KEY-----
            """;
    /** N=65536 around a SEC1 "EC PRIVATE KEY", not PKCS#8: cosign refuses it too. */
    static final String SEC1_INSIDE = """
            -----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----
            eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6
            OCwicCI6MX0sInNhbHQiOiJHK3F5WTYrNzhNS0JzMXNGTGs1ajYwcS9kS3Z1czBW
            VkhlSHZybC9POTF3PSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
            Iiwibm9uY2UiOiJRc2JGdG13WDRDK2ttV3ZCcVRaMEFGOUFYdk1jRmg1SCJ9LCJj
            aXBoZXJ0ZXh0IjoiREM5T28zeldiYVQzSXYwdFVnWEdycjUxYW1samwwNlQ5MTNP
            VkxPbWpuMWhnK2o2WXRUbWg3SGhZSlY1N2J5eGE0Q281bE9YYmRqbTJ3aklubEd1
            Um5aZCt5OExnekpSNzFSeEhKVzgrWmRlcFJmYWJMTjdHbDgrSFZEcERVQ3NxQnRh
            VngyblpGbFEwWUl1anZwbFphblNGaUVvdERLVGkxZ3VhUXIwUHNzYU01NXZxbTRY
            WS9rPSJ9
            -----END ENCRYPTED COSIGN PRIVATE KEY-----
            """;
    /** cosign's Ed25519 key (SIGSTORE type, N=65536, empty password). */
    static final String ED25519_KEY = """
            -----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----
            eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6
            OCwicCI6MX0sInNhbHQiOiJxYVVSY1ppbTN3RE9ZMVlselFGaFdVWHBnMU5tZlAv
            YndiM2ZpWE54ck5BPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
            Iiwibm9uY2UiOiJMRjNVN3crNXgzWmRvMlNGUkFicE1nY1N5Y2sxN3R1LyJ9LCJj
            aXBoZXJ0ZXh0IjoiY2lUQTYrODVWRDdsTlpwRTVLdmpMdjJrTXNZdmtvOHNHV0tq
            QTRYZDY2WFRaTUw3UG5xczQ2NloycDRyWGJUdXBlcStwSXlnSXhvS29UVmFHbG9N
            RXc9PSJ9
            -----END ENCRYPTED SIGSTORE PRIVATE KEY-----
            """;
    static final String ED25519_PUB = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAFs2AhZmYWkoEsqUf6yotyIwVb5uATpuKK194tq8OkoQ=
            -----END PUBLIC KEY-----
            """;
    static final String RSA_PUB = """
            -----BEGIN PUBLIC KEY-----
            MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx5piWVlE62NnZ0UzJ8Z6
            oKiKOC4dbOZ1HsNhIRtqkM+Oq4G+25yq6P+0JU/Qvr9veOGEb3R/J9u8JBo+hv2i
            5X8OtgvP2V2pi6f1s6vK7L0+6uRb4YTT/UdMshaVf97MgEqbq41Jf/cuvh+3AV0t
            Z1BpixZg4aXMKpY6HUP69lbsu27oSUN1myMv7TSgZiV4CYs3l/gkEfpysBptWlcH
            Ruw5RsB+C0RbjRtbJ/5VxmE/vd3Mlafd5t1WSpMb8yf0a84u5NFaXwZ7CweMfXeO
            ddS0yb19ShSuW3PPRadruBM1mq15js9GfagPxDS75Imcs+fA62lWvHxEujTGjYHx
            awIDAQAB
            -----END PUBLIC KEY-----
            """;

    @Test
    void readsCosignsP256KeysOfBothPemTypes() throws Exception {
        for (String file : new String[] {COSIGN_TYPE_KEY, SIGSTORE_TYPE_KEY}) {
            ECPrivateKey key = PrivateKeyFile.decode("cosign.key", file.getBytes(US_ASCII), HELLO);
            ECPublicKey derived = CosignKeys.publicKeyOf(key);
            // Go's PKCS#8 carries the public key: ours, computed from d, must be the same point
            byte[] embedded = org.bouncycastle.asn1.sec.ECPrivateKey
                    .getInstance(PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey())
                    .getPublicKey().getOctets();
            byte[] spki = derived.getEncoded();
            assertThat(java.util.Arrays.copyOfRange(spki, spki.length - 65, spki.length)).isEqualTo(embedded);
            // and a signature by the key verifies with the public key as cosign.pub would hold it
            ECPublicKey pub = PublicKeyFile.decode("cosign.pub", PublicKeyFile.encode(derived).getBytes(US_ASCII));
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(new byte[] {1, 2, 3});
            byte[] signature = s.sign();
            s.initVerify(pub);
            s.update(new byte[] {1, 2, 3});
            assertThat(s.verify(signature)).isTrue();
        }
    }

    @Test
    void refusesCosignsKeysWithTheWrongPassword() {
        assertThatThrownBy(() -> PrivateKeyFile.decode("cosign.key", SIGSTORE_TYPE_KEY.getBytes(US_ASCII),
                "Hello".toCharArray()))
                .isInstanceOf(InputException.class)
                .hasMessage("cosign.key: wrong password (the secretbox tag does not match)");
    }

    @Test
    void opensCosignsEd25519KeyThenSaysItIsNotP256() {
        assertThatThrownBy(() -> PrivateKeyFile.decode("ed.key", ED25519_KEY.getBytes(US_ASCII), new char[0]))
                .isInstanceOf(InputException.class)
                .hasMessage("ed.key: not an ECDSA P-256 private key (it is Ed25519)");
        assertThatThrownBy(() -> PublicKeyFile.decode("ed.pub", ED25519_PUB.getBytes(US_ASCII)))
                .isInstanceOf(InputException.class)
                .hasMessage("ed.pub: not an ECDSA P-256 public key (it is Ed25519)");
        assertThatThrownBy(() -> PublicKeyFile.decode("rsa.pub", RSA_PUB.getBytes(US_ASCII)))
                .isInstanceOf(InputException.class)
                .hasMessage("rsa.pub: not an ECDSA P-256 public key (it is RSA 2048)");
    }

    @Test
    void refusesASec1KeyInsideTheEnvelopeAsCosignDoes() {
        assertThatThrownBy(() -> PrivateKeyFile.decode("sec1.key", SEC1_INSIDE.getBytes(US_ASCII), HELLO))
                .isInstanceOf(InputException.class)
                .hasMessage("sec1.key: corrupt (the decrypted key is not PKCS#8)");
    }
}
