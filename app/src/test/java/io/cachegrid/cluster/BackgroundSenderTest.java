package io.cachegrid.cluster;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Background copies ({@code CACHEGRID_WRITE_ACKS=one}) are bounded: beyond the limit they are dropped and counted. */
class BackgroundSenderTest {

    @Test
    void copiesBeyondTheLimitAreDroppedAndSlotsComeBackWhenCopiesEnd() throws InterruptedException {
        BackgroundSender sender = new BackgroundSender();
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(BackgroundSender.MAX_IN_FLIGHT);
        for (int i = 0; i < BackgroundSender.MAX_IN_FLIGHT; i++) {
            assertTrue(sender.submit(() -> {
                started.countDown();
                awaitQuietly(stalled);
            }));
        }
        assertTrue(started.await(30, TimeUnit.SECONDS));
        assertFalse(sender.submit(() -> { }), "every slot is taken by a stalled copy");
        assertEquals(1, sender.dropped());
        assertEquals(BackgroundSender.MAX_IN_FLIGHT, sender.inFlight());

        stalled.countDown();
        LocalCluster.await(() -> sender.inFlight() == 0, () -> sender.inFlight() + " copies still in flight");
        CountDownLatch ran = new CountDownLatch(1);
        assertTrue(sender.submit(ran::countDown));
        assertTrue(ran.await(30, TimeUnit.SECONDS));
        assertEquals(1, sender.dropped());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
