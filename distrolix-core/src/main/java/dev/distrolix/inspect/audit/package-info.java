/**
 * {@code distrolix audit}: findings with severities and the paths that prove them, from one
 * streaming pass (see {@link dev.distrolix.inspect.audit.Auditor}); the rules and their ids are
 * {@link dev.distrolix.inspect.audit.Rule}.
 *
 * <p>What is checked, and how far:
 * <ul>
 *   <li>Programs by name in any bin/sbin directory — /bin as much as /nix/store/*&#47;bin — as
 *       files, hard links or symlinks that resolve: shells, package managers, download tools,
 *       interpreters (info). A busybox binary counts by the applets its applet table lists
 *       (sh, ash, hush, bash, wget, ftpget, tftp, nc), with or without applet links.
 *   <li>setuid/setgid files; world-writable files and directories (a sticky directory such as
 *       /tmp is allowed); dangling symlinks (links into /proc, /sys, /dev are not: the runtime
 *       mounts them) and symlinks whose resolution climbs above the root.
 *   <li>Every ELF program and library: its interpreter, and each DT_NEEDED found the way ld.so
 *       searches (see {@link dev.distrolix.inspect.audit.ElfChecks} for the order, $ORIGIN and
 *       what is out of scope: /etc/ld.so.conf and ld.so.cache, hwcaps, dlopen). Programs are
 *       checked through their whole load; a library on its own fails only for a library found
 *       nowhere in the image.
 *   <li>The platform: ELF programs and libraries built for another processor than the config's
 *       architecture (amd64 x86-64, arm64 aarch64, 386 i386, arm, riscv64, ppc64le, ppc64, s390x,
 *       loong64; i386 on amd64 and arm on arm64 only low: compat kernels run them), an
 *       Entrypoint/Cmd of another processor, and for an image read from an index, the platform
 *       the index lists it under against the one its config names
 *       ({@link dev.distrolix.inspect.audit.PlatformChecks}).
 *   <li>The user (no User or uid 0: runs as root; a name missing from /etc/passwd); the
 *       Entrypoint/Cmd program through the config's PATH (runc's default when unset), links
 *       followed, executable, its ELF needs or #! interpreter present; CA certificates wherever
 *       TLS libraries (libssl, libgnutls, libnss3, libmbedtls, libwolfssl) are.
 *   <li>dive's efficiency and wasted bytes ({@link dev.distrolix.inspect.audit.LayerEfficiency}).
 * </ul>
 *
 * <p>CI: {@link dev.distrolix.inspect.audit.AuditPolicy} reads {@code .distrolix-audit.yaml}
 * (fail-on, ignore by id and/or path glob, min-efficiency, max-wasted-bytes). The command exits
 * 0 when nothing is at or above the threshold, 4 when something is (or a limit is exceeded), 3
 * for a bad image, option or config file, 1 for a failure.
 */
package dev.distrolix.inspect.audit;
