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
