package dev.distrolix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On a Java 22+ (the Temurin 25 bin/distrolix runs on, with native access enabled as it enables it), whether a
 * module may load native code is asked through the Java 22 class the build compiled, not by reflection.
 */
@Tag("java22")
class NativeLibrariesOnJava22Test {
    @Test
    void nativeAccessIsAskedThroughTheJava22Class() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(22);
        assertThat(NativeLibraries.nativeAccessEnabled(NativeLibraries.class.getModule())).isTrue();
        assertThat(NativeLibraries.java22Check).as("set by NativeAccess's initialization").isNotNull()
                .matches(check -> check.getClass().getName().equals("dev.distrolix.NativeAccess"));
        assertThat(NativeLibraries.nativeAccessEnabled(Object.class.getModule()))
                .as("java.base: native access is its own").isTrue();
    }
}
