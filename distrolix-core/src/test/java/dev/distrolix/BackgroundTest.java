package dev.distrolix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundTest {
    /** A step that, once interrupted, takes a while to clean up (as killing a Nix process does). */
    private static Background<String> slowToStop(CountDownLatch started, AtomicBoolean cleanedUp) {
        return Background.start("test-step", () -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return "done";
            } catch (InterruptedException e) {
                long until = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // clean-up that ignores interrupts
                }
                cleanedUp.set(true);
                throw e;
            }
        });
    }

    @Test
    void cancelWaitsForTheStepAfterAnInterruptedJoinAlreadyStoppedIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean cleanedUp = new AtomicBoolean();
        Background<String> step = slowToStop(started, cleanedUp);
        started.await();
        Thread.currentThread().interrupt(); // as a build's thread is when the registry check fails
        try {
            assertThatThrownBy(step::join).isInstanceOf(InterruptedIOException.class); // and asks the step to stop
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            step.cancel();
            assertThat(cleanedUp).as("the step had finished when cancel returned").isTrue();
            assertThat(Thread.currentThread().isInterrupted()).as("the caller's interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void cancelOfAFinishedStepReturnsAtOnceAndJoinGivesItsResult() throws Exception {
        Background<String> step = Background.start("test-quick", () -> "result");
        assertThat(step.join()).isEqualTo("result");
        long t0 = System.nanoTime();
        step.cancel();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
    }
}
