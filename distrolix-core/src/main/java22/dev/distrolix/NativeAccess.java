package dev.distrolix;

import java.util.function.Predicate;

/**
 * Java 22's own answer to whether a module may load native code ({@code Module.isNativeAccessEnabled}), for
 * {@link NativeLibraries}: initializing this class hands it over, so that no reflective call is made (the first
 * one in a JVM spins method handles: ~5 ms of a run's main thread). Compiled for Java 22 by the system-zlib
 * profile; a build without a Java 22 compiler leaves it out, and NativeLibraries asks by reflection.
 */
final class NativeAccess implements Predicate<Module> {
    static {
        NativeLibraries.java22Check = new NativeAccess();
    }

    private NativeAccess() {
    }

    @Override
    public boolean test(Module module) {
        return module.isNativeAccessEnabled();
    }
}
