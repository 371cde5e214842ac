package dev.distrolix.cli;

/**
 * What a command's start runs on a second core: JDK classes whose first use is slow and that nearly every command
 * reaches, made ready on a daemon thread while the main thread builds the command line and reads its input.
 *
 * <ul>
 *   <li>{@link java.math.BigDecimal}: from Java 22 its static initializer squares 5 up to 5^(2^16) (~20 ms, still
 *   interpreted that early), and Jackson's parsers reach it (their base class holds BigDecimal bounds): the spec's
 *   YAML, every JSON record and manifest.
 *   <li>SHA-256: the first {@link java.security.MessageDigest} loads the security properties and providers
 *   (5-10 ms).
 * </ul>
 *
 * Both are the JDK's own initializations, whose locks make a thread that needs one before it is done wait for it:
 * nothing is done twice, nothing is skipped. Whatever fails here fails again, and is reported, where it is used.
 * Measured with picocli's closure lookup off ({@link Distrolix#main}): a cold nginx build reached its first Nix
 * process 13 ms sooner (median of 40 interleaved runs, each quartile as much).
 */
final class EarlyInit {
    private EarlyInit() {
    }

    static void start() {
        Thread t = new Thread(EarlyInit::run, "distrolix-early-init");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            java.math.BigDecimal.ONE.signum();
            java.security.MessageDigest.getInstance("SHA-256");
        } catch (Throwable ignored) {
            // said where it is used (an uncaught throwable here would print a trace)
        }
    }
}
