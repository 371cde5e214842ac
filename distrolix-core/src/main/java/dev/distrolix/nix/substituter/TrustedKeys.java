package dev.distrolix.nix.substituter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nix's trusted public keys ({@code name:base64 of 32 raw Ed25519 bytes}) and its signature check: a
 * {@code Sig} whose key name is not trusted is skipped; a path is trusted when at least one signature
 * verifies over {@link NarInfo#fingerprint()}.
 */
public final class TrustedKeys {
    /** DER SubjectPublicKeyInfo prefix for a raw Ed25519 key (the JDK's KeyFactory wants X.509). */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Map<String, PublicKey> keys = new LinkedHashMap<>();
    private final List<String> texts;

    private TrustedKeys(Collection<String> texts) {
        for (String t : texts) {
            String k = t.strip();
            int colon = k.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a trusted public key is NAME:BASE64, got '" + k + "'");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(k.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("public key '" + k + "' is not base64");
            }
            if (raw.length != 32) {
                throw new IllegalArgumentException("public key '" + k + "' has " + raw.length + " bytes, not 32 (Ed25519)");
            }
            byte[] der = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
            System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
            try {
                keys.put(k.substring(0, colon), KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("public key '" + k + "' is not an Ed25519 key: " + e.getMessage());
            }
        }
        this.texts = texts.stream().map(String::strip).toList();
    }

    public static TrustedKeys of(Collection<String> keys) {
        return new TrustedKeys(keys);
    }

    /** The keys as given ({@code name:base64}). */
    public List<String> texts() {
        return texts;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The name of the first trusted key whose signature verifies, if any. */
    public Optional<String> verifiedBy(NarInfo info) {
        byte[] fingerprint = info.fingerprint().getBytes(StandardCharsets.UTF_8);
        for (String sig : info.sigs()) {
            int colon = sig.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            PublicKey key = keys.get(sig.substring(0, colon));
            if (key == null) {
                continue; // not a trusted key's name: skipped, as Nix does
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(sig.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (raw.length != 64) {
                continue; // the JDK throws on a wrong length rather than saying false
            }
            try {
                Signature v = Signature.getInstance("Ed25519");
                v.initVerify(key);
                v.update(fingerprint);
                if (v.verify(raw)) {
                    return Optional.of(sig.substring(0, colon));
                }
            } catch (SignatureException e) {
                // malformed: not a valid signature
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 is unavailable in this JDK", e);
            }
        }
        return Optional.empty();
    }
}
