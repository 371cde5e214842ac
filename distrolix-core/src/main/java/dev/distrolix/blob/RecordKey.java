package dev.distrolix.blob;

import dev.distrolix.CacheDirs;
import dev.distrolix.TempFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * This user's key for the records distrolix keeps in its caches and trusts later (layer scans, closures): each
 * record ends with an HMAC-SHA256 under it, so that one damaged, or written by anyone without the key (a cache
 * restored from another job or machine), is not believed. The key is 32 random bytes in a file kept outside the
 * cache folders ({@link #defaultFile()}), made on first use, 0600.
 */
public final class RecordKey {
    /** The length of the HMAC that ends every record. */
    public static final int MAC_BYTES = 32;
    private final Path file;
    private byte[] key;

    private RecordKey(Path file) {
        this.file = file;
    }

    /** The key in {@code file} (made when first needed). */
    public static RecordKey in(Path file) {
        return new RecordKey(file);
    }

    /**
     * This user's key ({@link #defaultFile()}), one instance per process: the SBOM's scan records and a build's
     * closure records share it, so the file is read (or made) once.
     */
    public static RecordKey user() {
        return User.KEY;
    }

    private static final class User {
        static final RecordKey KEY = in(defaultFile());
    }

    /** {@code $XDG_CONFIG_HOME/distrolix/scan-records.key}, else {@code ~/.config/distrolix/scan-records.key}. */
    public static Path defaultFile() {
        return CacheDirs.userConfig().resolve("distrolix").resolve("scan-records.key");
    }

    /**
     * Drops the key this instance read (or its failure to), so that the next {@link #bytes} reads the file again: a
     * process that outlives its runs (the resident JVM) calls it on {@link #user()} at each run's start, and then
     * uses the key the other processes do after the file is replaced or restored. Once a run, not at each
     * {@link #bytes}: that is called once a store path where records are kept (a stat each: 11-21 ms for 3,001).
     */
    public synchronized void forget() {
        key = null;
    }

    /** The key, read or made once; null when there is none to be had (then nothing is kept or believed). */
    public synchronized byte[] bytes() {
        if (key != null) {
            return key.length == 0 ? null : key;
        }
        key = new byte[0];
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new java.security.SecureRandom().nextBytes(fresh);
                Files.createDirectories(file.getParent());
                Path tmp = TempFiles.createBeside(file); // 0600, as every temp file
                Files.write(tmp, fresh);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE); // another process may win: theirs is read
                } catch (java.nio.file.FileAlreadyExistsException lost) {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    Files.deleteIfExists(tmp);
                    if (!Files.exists(file)) {
                        throw e;
                    }
                }
            }
            byte[] k = Files.size(file) == 32 ? Files.readAllBytes(file) : null;
            if (k != null && k.length == 32) {
                key = k;
            }
        } catch (IOException | RuntimeException unavailable) {
            // no key: records are neither kept nor believed
        }
        return key.length == 0 ? null : key;
    }

    /** {@code body} followed by its HMAC-SHA256 under {@code key}: a record as it is written. */
    public static byte[] seal(byte[] key, byte[] body) {
        byte[] record = java.util.Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac(key, body, body.length), 0, record, body.length, MAC_BYTES);
        return record;
    }

    /** {@code body} sealed ({@link #seal}), or null where the record would be longer than {@code maxBytes}. */
    public static byte[] sealWithin(byte[] key, byte[] body, int maxBytes) {
        return body.length + MAC_BYTES > maxBytes ? null : seal(key, body);
    }

    /** {@code file}'s bytes where it is a regular file of at most {@code maxBytes} (a record's bound); else null. */
    public static byte[] readRecord(Path file, long maxBytes) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) <= maxBytes ? Files.readAllBytes(file) : null;
    }

    /**
     * The body of {@code record} to read on, past its {@code magic} and {@code version} (what every record begins
     * with); null where its HMAC under {@code key} does not hold, or it is another kind or version of record.
     * {@code available()} says how much of the body is left: what bounds any count read from it.
     */
    public static java.io.DataInputStream open(byte[] key, byte[] record, String magic, int version)
            throws IOException {
        int body = bodyLength(key, record);
        if (body < 0) {
            return null;
        }
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(record, 0, body));
        return magic.equals(in.readUTF()) && in.readInt() == version ? in : null;
    }

    /** Writes a string of any length to a record's body ({@code writeUTF} takes at most 64 kB): its length, then UTF-8. */
    public static void writeString(java.io.DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** A string {@link #writeString} wrote. */
    public static String readString(java.io.DataInputStream in) throws IOException {
        return new String(in.readNBytes(count(in)), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A count or length read from a record's body ({@link #open}), no larger than what is left of it could hold
     * (each item takes at least a byte): what bounds any allocation a record makes.
     */
    public static int count(java.io.DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a count past the record: " + n);
        }
        return n;
    }

    /**
     * How many bytes of {@code record} are its body, when its HMAC under {@code key} holds; -1 when the record is
     * too short to have one or was damaged or made under another key.
     */
    public static int bodyLength(byte[] key, byte[] record) {
        int body = record.length - MAC_BYTES;
        if (body <= 0) {
            return -1;
        }
        return java.security.MessageDigest.isEqual(mac(key, record, body),
                java.util.Arrays.copyOfRange(record, body, record.length)) ? body : -1;
    }

    /**
     * HMAC-SHA256 under {@code key} of the first {@code len} bytes of {@code bytes}: BouncyCastle's HMAC over
     * {@link Digest#newSha256()} (OpenSSL's where bin/distrolix names distrolix's library: builds run on C1 alone,
     * where the JDK's SHA-256 is plain Java). Not {@code javax.crypto.Mac}, whose first use sets up the JCE's crypto
     * policy (~25 ms of every warm build, which checks its closure's record).
     */
    static byte[] mac(byte[] key, byte[] bytes, int len) {
        org.bouncycastle.crypto.macs.HMac m = new org.bouncycastle.crypto.macs.HMac(new Sha256());
        m.init(new org.bouncycastle.crypto.params.KeyParameter(key));
        m.update(bytes, 0, len);
        byte[] out = new byte[MAC_BYTES];
        m.doFinal(out, 0);
        return out;
    }

    /** distrolix's SHA-256 as the digest BouncyCastle's HMAC takes. */
    private static final class Sha256 implements org.bouncycastle.crypto.ExtendedDigest {
        private final java.security.MessageDigest md = Digest.newSha256();

        @Override
        public String getAlgorithmName() {
            return "SHA-256";
        }

        @Override
        public int getDigestSize() {
            return MAC_BYTES;
        }

        @Override
        public int getByteLength() {
            return 64; // the block size HMAC pads the key to
        }

        @Override
        public void update(byte in) {
            md.update(in);
        }

        @Override
        public void update(byte[] in, int off, int len) {
            md.update(in, off, len);
        }

        @Override
        public int doFinal(byte[] out, int off) {
            try {
                return md.digest(out, off, MAC_BYTES);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e); // out has room: HMac hands it a digest-sized buffer
            }
        }

        @Override
        public void reset() {
            md.reset();
        }
    }
}
