package dev.distrolix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkersTest {
    @Test
    void resultsComeInTheItemsOrderAndParallelismIsBounded() throws IOException {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> out = Workers.shared().forEach(IntStream.range(0, 40).boxed().toList(), 3, i -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            now.decrementAndGet();
            return i * 2;
        });
        assertThat(out).isEqualTo(IntStream.range(0, 40).map(i -> i * 2).boxed().toList());
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    @Timeout(20)
    void theFirstFailureStopsTheRestAndIsThrownOnceAllHaveStopped() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stoppedByInterrupt = new AtomicInteger();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Workers.shared().forEach(IntStream.range(0, 100).boxed().toList(), 4, i -> {
            started.incrementAndGet();
            if (i == 0) {
                throw new IOException("item 0 failed");
            }
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                stoppedByInterrupt.incrementAndGet();
                throw new java.io.InterruptedIOException("interrupted");
            }
            return i;
        })).isInstanceOf(IOException.class).hasMessage("item 0 failed");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(started.get()).isLessThanOrEqualTo(4); // nothing new starts after the failure
        assertThat(stoppedByInterrupt.get()).isEqualTo(started.get() - 1);
    }

    /**
     * An interrupted caller cleans up after the call (an output's rollback): every worker has stopped by then,
     * even one that finishes its item before it looks at the interrupt.
     */
    @Test
    @Timeout(20)
    void anInterruptedCallerReturnsOnlyOnceEveryWorkerHasStopped() throws Exception {
        AtomicInteger running = new AtomicInteger();
        java.util.concurrent.CountDownLatch allStarted = new java.util.concurrent.CountDownLatch(3);
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicInteger runningWhenThrown = new AtomicInteger(-1);
        Thread caller = new Thread(() -> {
            try {
                Workers.shared().forEach(List.of(1, 2, 3), 3, i -> {
                    running.incrementAndGet();
                    allStarted.countDown();
                    long end = System.nanoTime() + 300_000_000L; // busy for 0.3 s, deaf to interrupts
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    running.decrementAndGet();
                    return i;
                });
                outcome.set("returned");
            } catch (IOException e) {
                runningWhenThrown.set(running.get());
                outcome.set(e);
            }
        });
        caller.start();
        allStarted.await();
        caller.interrupt();
        caller.join();
        assertThat(outcome.get()).isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(runningWhenThrown.get()).as("workers still running when the caller got its exception").isZero();
    }

    @Test
    @Timeout(20)
    void aFailureBeforeTheOtherLoopsStartDoesNotHang() {
        // one pool thread: the other loops start only after the first one has failed
        Workers one = Workers.of(Executors.newFixedThreadPool(1), Executors.newFixedThreadPool(1));
        assertThatThrownBy(() -> one.forEach(List.of(1, 2, 3, 4), 4, i -> {
            throw new IOException("fails at once");
        })).hasMessage("fails at once");
    }
}
