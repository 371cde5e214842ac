/**
 * Reproducible layer tars. The conventions below are frozen: each of them is inside every
 * diff_id, so changing one changes every image.
 *
 * <ul>
 *   <li><b>Names:</b> relative ({@code nix/}, {@code nix/store/<base>/...}), no {@code ./} or
 *       {@code /} prefix; directories end with '/'.
 *   <li><b>Order:</b> depth-first pre-order, path components compared by unsigned UTF-8 bytes
 *       (NAR order); strictly increasing, so no duplicates ({@link dev.distrolix.tar.TarPaths}).
 *   <li><b>Format:</b> POSIX ustar ({@code ustar\0} + {@code 00}); long ASCII names split into
 *       prefix/name at the last fitting '/'; a PAX {@code x} header only when ustar cannot hold
 *       a field (path, linkpath, size, uid, gid, uname, gname, integer mtime), records sorted by
 *       key; never atime/ctime, fractional times, global headers, GNU L/K entries or hardlinks.
 *       The x header is {@code <dir>/PaxHeaders.0/<base>}, 0644, uid/gid 0, the entry's mtime.
 *   <li><b>Header fields:</b> mode = permission bits only; octal numbers zero-padded and
 *       NUL-terminated; checksum "NNNNNN\0 "; devmajor/devminor 0.
 *   <li><b>End:</b> two 512-byte zero blocks, no padding to a 10240-byte record.
 *   <li><b>Store layers:</b> {@code nix/} and {@code nix/store/} 0755, then store paths by base
 *       name; dirs 0555, files 0444/0555, symlinks 0777; 0:0 root:root; mtime 1
 *       ({@link dev.distrolix.tar.StoreLayerEntries}).
 *   <li><b>gzip:</b> header {@code 1f8b 08 00 00000000 00 ff}; one raw deflate stream made
 *       pigz-style of 128 KiB blocks of the tar (the last holds 1..128 KiB, none if the tar is
 *       empty), each compressed by its own reset zlib deflate stream, as the JDK's
 *       {@code Deflater(6, nowrap)} makes it (default strategy, window, memLevel), primed with
 *       {@code setDictionary} of the last 32 KiB of the previous block (none for the first) and fed
 *       the whole block at once; every block but the last ends with {@code SYNC_FLUSH} (empty
 *       stored block {@code 00 00 ff ff}), the last is finished (BFINAL); blocks concatenated in
 *       order; trailer CRC-32 and size mod 2^32 of the tar. The bytes do not depend on thread
 *       count, timing or write sizes ({@link dev.distrolix.tar.ParallelGzipOutputStream}); the
 *       deflate bytes depend on the JVM's zlib (the system's zlib takes over a build's blocks once
 *       bound, only where it deflates alike: {@link dev.distrolix.tar.SystemZlib}), the diff_id does not.
 *   <li><b>zstd:</b> zstd-jni 1.5.7-21 (zstd 1.5.7), level 3, multi-threaded with 2 MiB jobs (any
 *       number of workers from 1 up gives the same bytes; single-threaded mode gives others), XXH64
 *       checksum, no content size ({@link dev.distrolix.tar.Compressors}).
 * </ul>
 */
package dev.distrolix.tar;
