package dev.distrolix;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Loads distrolix's own JNI libraries ({@code distrolix-core/src/main/c}: the system's zlib for gzip blocks, its
 * OpenSSL for SHA-256, scrypt and Ed25519, its liblzma for xz), which {@code bin/distrolix} names by system
 * properties; each user checks what it loaded before using it, and keeps its Java implementation where anything
 * here fails.
 */
public final class NativeLibraries {
    /** Frees the libraries' native state (a z_stream, an EVP_MD_CTX) once its Java owner is unreachable: one thread. */
    public static final Cleaner CLEANER = Cleaner.create();
    /** The property naming {@code libdistrolix-zlib.so} (the system's zlib, for gzip blocks). */
    public static final String ZLIB = "distrolix.zlib.jni";
    /** The property naming {@code libdistrolix-crypto.so} (OpenSSL: SHA-256, scrypt, Ed25519). */
    public static final String CRYPTO = "distrolix.crypto.jni";
    /** The property naming {@code libdistrolix-isal.so} (ISA-L: raw deflate decoding). */
    public static final String ISAL = "distrolix.isal.jni";
    /** The property naming {@code libdistrolix-xz.so} (liblzma). */
    public static final String XZ = "distrolix.xz.jni";

    /** The libraries loaded so far: each user of one library loads it, and it is checked and loaded once. */
    private static final Set<Path> LOADED = ConcurrentHashMap.newKeySet();

    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    /** Set by {@code NativeAccess}'s initialization, where the build compiled that Java 22 class. */
    static volatile Predicate<Module> java22Check;

    private NativeLibraries() {
    }

    /**
     * Loads the library at {@code path}, or throws {@link UnsupportedOperationException} saying why it cannot be:
     * not a file, not an ELF library (System.load would refuse it too, but the JVM first prints a warning about
     * the stack guard), or native access not enabled (Java 22 and later: loading would print the JVM's warning).
     */
    public static void load(Path path) {
        Path absolute = path.toAbsolutePath();
        if (LOADED.contains(absolute)) {
            return;
        }
        if (!Files.isRegularFile(path)) {
            throw new UnsupportedOperationException(path + " is not a file");
        }
        if (!isElf(path)) {
            throw new UnsupportedOperationException(path + " is not an ELF library");
        }
        if (!nativeAccessEnabled(NativeLibraries.class.getModule())) {
            throw new UnsupportedOperationException("native access is not enabled");
        }
        System.load(absolute.toString());
        LOADED.add(absolute);
    }

    /** A library's own check, once loaded: known answers; throws, saying why, where they are not given. */
    @FunctionalInterface
    public interface Check {
        void run(Path library) throws Exception;
    }

    /**
     * Whether the library that the system property {@code property} names loads and passes {@code check}: false,
     * silently, where it names none or anything fails. The caller then keeps its Java implementation (the same
     * results, slower: nothing to tell the user).
     */
    public static boolean usable(String property, Check check) {
        String library = System.getProperty(property, "");
        if (library.isEmpty()) {
            return false;
        }
        try {
            Path path = Path.of(library);
            load(path);
            check.run(path);
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether {@code module} may load libraries without the JVM's warning: always before Java 22; from 22
     * {@code Module.isNativeAccessEnabled}, called by {@code NativeAccess} (src/main/java22) where the build
     * compiled it, else by reflection (this code is compiled for Java 17).
     */
    public static boolean nativeAccessEnabled(Module module) {
        if (Runtime.version().feature() < 22) {
            return true;
        }
        try {
            Class.forName("dev.distrolix.NativeAccess", true, NativeLibraries.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // built without a Java 22 compiler: asked by reflection below
        }
        Predicate<Module> check = java22Check;
        if (check != null) {
            return check.test(module);
        }
        try {
            return (Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(module);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static boolean isElf(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(4), ELF);
        } catch (IOException e) {
            return false;
        }
    }
}
