package dev.distrolix.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class or method that needs an external program (nix, podman, skopeo, umoci, the
 * distribution registry, kubectl, GNU tar, gzip, zstd, python3 …) or the Nix fixtures that
 * testing/build-fixtures.sh builds. Such tests run in the second tier: Failsafe in {@code mvn verify}
 * ({@code bin/test}), never in {@code mvn test}, which stays fast and needs only a JDK.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {
    /** The JUnit tag the build selects on (surefire excludes it, failsafe runs only it). */
    String TAG = "integration";
}
