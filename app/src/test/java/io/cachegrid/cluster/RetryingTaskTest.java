package io.cachegrid.cluster;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A background pass (rebalancing, anti-entropy) survives anything it throws, an OutOfMemoryError included, and is
 * retried with backoff until one completes, without any further trigger; triggers while a pass is queued merge.
 */
class RetryingTaskTest {

    @Test
    void aPassThatThrowsOrFailsIsRetriedUntilItCompletes() {
        AtomicInteger runs = new AtomicInteger();
        try (RetryingTask task = new RetryingTask("test", () -> switch (runs.incrementAndGet()) {
            case 1 -> throw new OutOfMemoryError("Java heap space (thrown by the test)");
            case 2 -> throw new IllegalStateException("a peer went away (thrown by the test)");
            case 3 -> false;
            default -> true;
        }, Duration.ofMillis(10), Duration.ofMillis(40))) {
            task.request();
            LocalCluster.await(() -> runs.get() >= 4, () -> "4 runs, had " + runs.get());
            LocalCluster.await(() -> !task.lastFailed(), () -> "the last run to be the completed one");
            sleep(300);
            assertEquals(4, runs.get(), "no more runs once one completed");
            assertFalse(task.lastFailed());
        }
    }

    @Test
    void requestsWhileAPassRunsMergeIntoOneMore() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (RetryingTask task = new RetryingTask("test", () -> {
            if (runs.incrementAndGet() == 1) {
                started.countDown();
                release.await();
            }
            return true;
        }, Duration.ofMillis(10), Duration.ofMillis(10))) {
            task.request();
            started.await();
            for (int i = 0; i < 50; i++) {
                task.request(); // a pass is under way: these queue exactly one more
            }
            release.countDown();
            LocalCluster.await(() -> runs.get() >= 2, () -> "the queued run");
            sleep(300);
            assertEquals(2, runs.get());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
