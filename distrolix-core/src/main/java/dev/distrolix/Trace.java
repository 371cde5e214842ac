package dev.distrolix;

public final class Trace {
    private static final boolean ON = System.getenv("DISTROLIX_TRACE") != null;
    private static final long T0 = System.getenv("T0") != null ? Long.parseLong(System.getenv("T0")) : System.currentTimeMillis();
    private Trace() {}
    public static void mark(String what) {
        if (ON) {
            System.err.println("TRACE " + (System.currentTimeMillis() - T0) + " " + what + " [" + Thread.currentThread().getName() + "]");
        }
    }
}
