package io.cachegrid.cluster;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Background copies ({@code CACHEGRID_WRITE_ACKS=one}) are bounded: a fixed number are sent at once, the rest wait in
 * a bounded queue, and beyond it they are dropped and counted.
 */
class BackgroundSenderTest {

    @Test
    void copiesBeyondTheQueueAreDroppedAndTheSendersGoOnWhenCopiesEnd() throws InterruptedException {
        try (BackgroundSender sender = new BackgroundSender()) {
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(BackgroundSender.SENDERS);
            for (int i = 0; i < BackgroundSender.SENDERS; i++) {
                assertTrue(sender.submit(() -> {
                    started.countDown();
                    awaitQuietly(stalled);
                }));
            }
            assertTrue(started.await(30, TimeUnit.SECONDS), "every sender took a copy");
            AtomicInteger laterRan = new AtomicInteger();
            for (int i = 0; i < BackgroundSender.MAX_QUEUED; i++) {
                assertTrue(sender.submit(laterRan::incrementAndGet), "queued: " + i);
            }
            assertEquals(0, laterRan.get(), "no sender is free: the copies wait, no more run at once");
            assertFalse(sender.submit(() -> { }), "the queue is full");
            assertEquals(1, sender.dropped());
            assertEquals(BackgroundSender.SENDERS + BackgroundSender.MAX_QUEUED, sender.inFlight());

            stalled.countDown();
            LocalCluster.await(() -> sender.inFlight() == 0, () -> sender.inFlight() + " copies still in flight");
            assertEquals(BackgroundSender.MAX_QUEUED, laterRan.get(), "every queued copy was sent");
            CountDownLatch ran = new CountDownLatch(1);
            assertTrue(sender.submit(ran::countDown));
            assertTrue(ran.await(30, TimeUnit.SECONDS));
            assertEquals(1, sender.dropped());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
