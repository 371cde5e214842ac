package dev.distrolix.nix.substituter;

import com.github.luben.zstd.ZstdInputStream;
import dev.distrolix.FileTrees;
import dev.distrolix.InputException;
import dev.distrolix.Workers;
import dev.distrolix.nix.NarEntry;
import dev.distrolix.nix.StorePath;
import dev.distrolix.nix.StoreSource;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Store paths read from binary caches instead of /nix/store. For each path: the first cache that has
 * its narinfo is used; the narinfo must carry a signature by a trusted key over Nix's fingerprint and
 * (when {@code expected} has the path, as a lock does) agree with the expected NarHash, NarSize and
 * references. The compressed NAR is downloaded once (in memory when small, within a fixed budget; else to a
 * spool folder of this source, deleted by {@link #close()}: never unpacked to disk) and then decompressed and
 * parsed as it streams, its NarSize and NarHash checked before {@link #walk} returns. Every fault is an {@link InputException}
 * naming the store path and the URL.
 */
public final class SubstituterStoreSource implements StoreSource, AutoCloseable {
    /** What a lock says of a path. {@code references} as the narinfo states them (self included). */
    public record Expected(NarHash narHash, long narSize, List<StorePath> references) {
        public Expected {
            references = List.copyOf(new java.util.TreeSet<>(references));
        }
    }

    /** A path's verified narinfo and the cache it came from. */
    public record Located(BinaryCache cache, NarInfo info, String signedBy) {
        public String narInfoUrl() {
            return cache.urlOf(info.storePath().hashPart() + ".narinfo");
        }

        public String narUrl() {
            return cache.urlOf(info.url());
        }
    }

    /** A downloaded NAR: in {@code file} of the spool folder, or in memory ({@code bytes}) when small. */
    private record Fetched(Located located, Path file, byte[] bytes) {}

    /** How many store paths {@link #prefetch} fetches at once. */
    static final int PREFETCHES = 4;
    /** A NAR of at most this many compressed bytes is kept in memory (while the budget lasts), not in a file. */
    static final long SMALL_NAR = 256 * 1024;
    /** What all the NARs kept in memory may take together: memory stays bounded whatever the closure. */
    static final long MEMORY_BUDGET = 32L << 20;
    private final AtomicLong memoryLeft = new AtomicLong(MEMORY_BUDGET);

    /** One node of a path's listing (for profile links): kind and, for symlinks, the target. */
    public record Node(boolean directory, String symlinkTarget) {}

    private final List<BinaryCache> caches;
    private final TrustedKeys keys;
    private final Map<StorePath, Expected> expected;
    private final Map<StorePath, CompletableFuture<Fetched>> fetched = new ConcurrentHashMap<>();
    private final Map<StorePath, Map<String, Node>> listings = new ConcurrentHashMap<>();
    /** Paths whose whole NAR was read with its NarSize and NarHash checked. */
    private final java.util.Set<StorePath> verified = ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ExecutorService background;
    private Path spool;

    public SubstituterStoreSource(List<BinaryCache> caches, TrustedKeys keys, Map<StorePath, Expected> expected) {
        if (caches.isEmpty()) {
            throw new InputException("no substituter to fetch store paths from");
        }
        if (keys.isEmpty()) {
            throw new InputException("no trusted public key: every store path from a substituter must be signed");
        }
        this.caches = List.copyOf(caches);
        this.keys = keys;
        this.expected = Map.copyOf(expected);
    }

    public List<BinaryCache> caches() {
        return caches;
    }

    /**
     * The narinfo of {@code path} from the first cache that has one, its signature verified (and checked
     * against the expected facts if any). A path in no cache, or signed by no trusted key, is an error.
     */
    public Located locate(StorePath path) throws IOException {
        InputException firstFault = null;
        for (BinaryCache c : caches) {
            Optional<NarInfo> found = c.narInfo(path);
            if (found.isEmpty()) {
                continue;
            }
            NarInfo info = found.get();
            String where = c.urlOf(path.hashPart() + ".narinfo");
            Optional<String> signer = keys.verifiedBy(info);
            if (signer.isEmpty()) {
                if (firstFault == null) {
                    firstFault = new InputException(path + ": " + where + " has " + (info.sigs().isEmpty() ? "no signature"
                            : "no valid signature by a trusted key (" + String.join(", ", names(info.sigs())) + " signed it; trusted: "
                            + String.join(", ", names(keys.texts())) + ")"));
                }
                continue;
            }
            Expected e = expected.get(path);
            if (e != null) {
                String diff = !e.narHash().equals(info.narHash()) ? "NarHash " + info.narHash() + ", the lock " + e.narHash()
                        : e.narSize() != info.narSize() ? "NarSize " + info.narSize() + ", the lock " + e.narSize()
                        : !e.references().equals(info.references()) ? "other References than the lock"
                        : null;
                if (diff != null) {
                    throw new InputException(path + ": " + where + " disagrees with the lock: " + diff
                            + " (run distrolix lock again if the cache is right)");
                }
            }
            return new Located(c, info, signer.get());
        }
        if (firstFault != null) {
            throw firstFault;
        }
        throw new InputException(path + ": in no substituter (" + String.join(", ", caches.stream()
                .map(c -> c.urlOf(path.hashPart() + ".narinfo")).toList()) + " not found)");
    }

    private static List<String> names(List<String> keyed) {
        return keyed.stream().map(s -> s.indexOf(':') > 0 ? s.substring(0, s.indexOf(':')) : "?").distinct().toList();
    }

    /**
     * Starts locating and downloading {@code paths}, at most {@value #PREFETCHES} at a time, and returns at once: a
     * {@link #walk} of a path waits for its download only, so layers are written while the rest arrive. A failure
     * is reported by the walk that needs the path; one that no walk needs is never reported. {@link #close()}
     * stops what is still running.
     */
    @Override
    public synchronized void prefetch(Collection<StorePath> paths) {
        if (background == null) {
            background = java.util.concurrent.Executors.newFixedThreadPool(PREFETCHES, r -> {
                Thread t = new Thread(r, "distrolix-nar-fetch");
                t.setDaemon(true);
                return t;
            });
        }
        for (StorePath p : paths) {
            background.execute(() -> {
                try {
                    fetch(p);
                } catch (IOException | RuntimeException reportedByTheWalk) {
                    // kept by fetch(): the walk that needs the path reports it
                }
            });
        }
    }

    /**
     * {@link Workers#forEach} on the shared io pool, but no task ever fails inside it: after the first
     * failure the items not yet started are skipped, and that failure (the lowest-index one) is thrown once
     * all have stopped. Workers.forEach cancels its other loops on a failure, and a loop cancelled before it
     * started never counts its latch down, which hung a build whose first fetch failed at once.
     */
    public static <T, R> List<R> boundedAll(List<T> items, int parallelism, Workers.Task<T, R> task) throws IOException {
        Exception[] failures = new Exception[items.size()];
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            positions.add(i);
        }
        List<R> results = Workers.shared().forEach(positions, parallelism, i -> {
            if (failed.get()) {
                return null;
            }
            try {
                return task.run(items.get(i));
            } catch (IOException | RuntimeException e) {
                failures[i] = e;
                failed.set(true);
                return null;
            }
        });
        for (Exception e : failures) {
            if (e != null && !(e instanceof java.io.InterruptedIOException)) {
                if (e instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) e;
            }
        }
        for (Exception e : failures) {
            if (e != null) {
                throw (IOException) e;
            }
        }
        return results;
    }

    private Fetched fetch(StorePath path) throws IOException {
        CompletableFuture<Fetched> mine = new CompletableFuture<>();
        CompletableFuture<Fetched> f = fetched.putIfAbsent(path, mine);
        if (f == null) {
            try {
                Located l = locate(path);
                long size = l.info().fileSize();
                if (size > 0 && size <= SMALL_NAR && memoryLeft.addAndGet(-size) >= 0) {
                    mine.complete(new Fetched(l, null, l.cache().downloadToMemory(l.info())));
                } else {
                    Path file = spool().resolve(path.baseName() + ".nar");
                    l.cache().download(l.info(), file);
                    mine.complete(new Fetched(l, file, null));
                }
            } catch (RuntimeException | IOException e) {
                mine.completeExceptionally(e); // after the retries, final: every later call gets this failure
                throw e;
            }
            f = mine;
        }
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private synchronized Path spool() throws IOException {
        if (spool == null) {
            spool = Files.createTempDirectory("distrolix-nar-");
        }
        return spool;
    }

    @Override
    public void walk(StorePath path, NarVisitor visitor) throws IOException {
        // The NAR is checked on its first complete read; a later read (the layer after the profile's listing)
        // is of the same file in this source's own spool folder (0700, never shared), as a cache hit is
        boolean check = !verified.contains(path);
        walk(path, visitor, check);
        if (check) {
            verified.add(path);
        }
    }

    /** Reads the NAR; with {@code check}, its NarSize and NarHash are checked (else the caller must see to it). */
    private void walk(StorePath path, NarVisitor visitor, boolean check) throws IOException {
        Fetched f = fetch(path);
        NarInfo info = f.located().info();
        String where = f.located().narUrl();
        try (InputStream raw = f.bytes() != null ? new ByteArrayInputStream(f.bytes())
                : new BufferedInputStream(Files.newInputStream(f.file()), 65536);
             Verifying nar = new Verifying(decompress(info.compression(), raw, path, where), info.narSize(), check)) {
            NarReader.read(nar, visitor);
            if (!check) {
                return;
            }
            if (nar.count != info.narSize()) {
                throw new InputException(path + ": the NAR from " + where + " has " + nar.count
                        + " bytes, but NarSize is " + info.narSize());
            }
            NarHash got = NarHash.ofBytes(nar.md.digest());
            if (!got.equals(info.narHash())) {
                throw new InputException(path + ": the NAR from " + where + " has hash " + got + ", but NarHash is "
                        + info.narHash());
            }
        } catch (IOException e) {
            NarFormatException content = contentFault(e);
            if (content != null) {
                throw new InputException(path + ": the NAR from " + where + " is damaged: " + content.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * The structure of {@code path} (relative path → node; "" is the root), without contents, for profile
     * links. Read once per path and remembered; where the lock pins the path's NarHash, taken from its record in
     * {@code records} when there is one, else read and recorded there.
     */
    public Map<String, Node> listing(StorePath path, NarListingRecords records) throws IOException {
        Map<String, Node> l = listings.get(path);
        if (l == null) {
            Expected e = expected.get(path);
            l = e == null ? null : records.read(path, e.narHash());
            if (l == null) {
                Map<String, Node> m = new TreeMap<>();
                // checked as any first read is: the layer that holds the path then reads it without hashing again
                walk(path, n -> m.put(n.path(), new Node(n instanceof NarEntry.Directory,
                        n instanceof NarEntry.Symlink s ? s.target() : null)));
                l = java.util.Collections.unmodifiableMap(m);
                if (e != null) {
                    records.write(path, e.narHash(), l); // its NarHash checked: the narinfo's, which is the lock's
                }
            }
            listings.put(path, l);
        }
        return l;
    }

    private static NarFormatException contentFault(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NarFormatException n) {
                return n;
            }
        }
        return null;
    }

    private static InputStream decompress(String compression, InputStream raw, StorePath path, String where)
            throws IOException {
        InputStream in;
        try {
            in = switch (compression) {
                case "xz" -> XzJni.open(raw);
                case "zstd" -> new ZstdInputStream(raw);
                case "bzip2" -> new BZip2CompressorInputStream(raw);
                case "gzip" -> new GZIPInputStream(raw, 65536);
                case "none" -> raw;
                default -> throw new InputException(path + ": " + where + " uses compression '" + compression
                        + "', which distrolix cannot read (xz, zstd, bzip2, gzip, none)");
            };
        } catch (IOException e) {
            throw new NarFormatException("cannot decompress (" + compression + "): " + e.getMessage(), e);
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw new NarFormatException("cannot decompress (" + compression + "): " + e.getMessage(), e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw new NarFormatException("cannot decompress (" + compression + "): " + e.getMessage(), e);
                }
            }
        };
    }

    /** Counts and hashes the NAR bytes; more than NarSize is an error at once. */
    private static final class Verifying extends FilterInputStream {
        final MessageDigest md = BinaryCache.sha256();
        final long limit;
        final boolean hash;
        long count;

        Verifying(InputStream in, long limit, boolean hash) {
            super(in);
            this.limit = limit;
            this.hash = hash;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new NarFormatException("longer than its NarSize " + limit);
                }
                if (hash) {
                    md.update(b, off, n);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 65536)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (background != null) {
            background.shutdownNow(); // downloads still running are interrupted; their files go with the spool
            try {
                background.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (spool != null) {
            FileTrees.deleteTree(spool);
            spool = null;
        }
    }
}
