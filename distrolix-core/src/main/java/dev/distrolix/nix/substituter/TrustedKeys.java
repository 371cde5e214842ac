package dev.distrolix.nix.substituter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
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

    /** Each key's name and its 32 raw bytes, checked as text when given. */
    private final Map<String, byte[]> raw = new LinkedHashMap<>();
    private final List<String> texts;
    /**
     * The keys as the JDK's, made on the first check: a build whose paths are all in the local store or the layer
     * cache verifies nothing, and the first Ed25519 key of a run costs 10-30 ms (its providers and factory).
     */
    private volatile Map<String, PublicKey> keys;

    private TrustedKeys(Collection<String> texts) {
        for (String t : texts) {
            String k = t.strip();
            int colon = k.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a trusted public key is NAME:BASE64, got '" + k + "'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(k.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("public key '" + k + "' is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("public key '" + k + "' has " + key.length + " bytes, not 32 (Ed25519)");
            }
            raw.put(k.substring(0, colon), key);
        }
        this.texts = texts.stream().map(String::strip).toList();
    }

    /** The keys as the JDK's (any 32 bytes are an Ed25519 public key's encoding: its point is checked when it verifies). */
    private Map<String, PublicKey> keys() {
        Map<String, PublicKey> k = keys;
        if (k == null) {
            k = new LinkedHashMap<>();
            try {
                KeyFactory factory = KeyFactory.getInstance("Ed25519");
                for (Map.Entry<String, byte[]> e : raw.entrySet()) {
                    byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
                    System.arraycopy(e.getValue(), 0, der, X509_PREFIX.length, 32);
                    k.put(e.getKey(), factory.generatePublic(new X509EncodedKeySpec(der)));
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 is unavailable in this JDK", e);
            }
            keys = k;
        }
        return k;
    }

    public static TrustedKeys of(Collection<String> keys) {
        return new TrustedKeys(keys);
    }

    /** The keys as given ({@code name:base64}). */
    public List<String> texts() {
        return texts;
    }

    public boolean isEmpty() {
        return raw.isEmpty();
    }

    /** The name of the first trusted key whose signature verifies, if any. */
    public Optional<String> verifiedBy(NarInfo info) {
        byte[] fingerprint = info.fingerprint().getBytes(StandardCharsets.UTF_8);
        for (String sig : info.sigs()) {
            int colon = sig.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = sig.substring(0, colon);
            if (!raw.containsKey(name)) {
                continue; // not a trusted key's name: skipped, as Nix does
            }
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(sig.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (signature.length != 64) {
                continue; // the JDK throws on a wrong length rather than saying false
            }
            if (Ed25519Jni.NATIVE) {
                int verified = Ed25519Jni.verify(raw.get(name), fingerprint, signature);
                if (verified == 1) {
                    return Optional.of(name);
                }
                if (verified == 0) {
                    continue;
                }
                // OpenSSL failed (no memory): the JDK decides
            }
            PublicKey key = keys().get(name);
            try {
                Signature v = Signature.getInstance("Ed25519");
                v.initVerify(key);
                v.update(fingerprint);
                if (v.verify(signature)) {
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
