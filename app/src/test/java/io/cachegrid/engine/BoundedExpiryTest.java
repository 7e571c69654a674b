package io.cachegrid.engine;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mass expiry is removed in bounded steps: at most {@link ExpiryCycle#ENTRIES_PER_STEP} entries per hold of a
 * segment's locks and {@link ExpiryCycle#BUDGET_NANOS} of (fake) time per sweep, every entry removed in the end
 * and counted once. The clock is the fake ticker, so "time" here is what the test says it is.
 */
class BoundedExpiryTest extends EngineTestSupport {
    private static final int EXPIRING = 100_000;
    private static final int LASTING = 1_000;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final CacheEngine cache = engine(200_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 0);

    @BeforeEach
    void fillAndExpire() {
        for (int i = 0; i < EXPIRING; i++) {
            cache.put("expiring-" + i, new byte[8], SECOND);
        }
        for (int i = 0; i < LASTING; i++) {
            cache.put("lasting-" + i, new byte[8], 0);
        }
        ticker.advance(2, TimeUnit.SECONDS);
    }

    @Test
    void eachLockHoldRemovesAtMostOneStep() {
        ticker.advanceOnEveryRead(ExpiryCycle.BUDGET_NANOS);   // every step spends a whole sweep's budget
        int sweeps = sweepUntilDone(ExpiryCycle.ENTRIES_PER_STEP);
        assertTrue(sweeps >= EXPIRING / ExpiryCycle.ENTRIES_PER_STEP, sweeps + " sweeps");
        assertAllExpiredAndCountedOnce();
    }

    @Test
    void eachSweepStopsOnItsTimeBudgetAndTheNextResumes() {
        int stepsPerBudget = 10;
        ticker.advanceOnEveryRead(ExpiryCycle.BUDGET_NANOS / stepsPerBudget);
        int sweeps = sweepUntilDone(stepsPerBudget * ExpiryCycle.ENTRIES_PER_STEP);
        assertTrue(sweeps >= EXPIRING / (stepsPerBudget * ExpiryCycle.ENTRIES_PER_STEP), sweeps + " sweeps");
        assertAllExpiredAndCountedOnce();
    }

    @Test
    void withTimeToSpareOneSweepRemovesEverythingDue() {
        ExpirySweep sweep = cache.expireDue();
        assertEquals(EXPIRING, sweep.removed());
        assertTrue(sweep.done());
        assertAllExpiredAndCountedOnce();
        assertEquals(new ExpirySweep(0, true), cache.expireDue());
    }

    /** Sweeps until one reports done, checking each removed at most {@code bound}; returns how many it took. */
    private int sweepUntilDone(int bound) {
        int sweeps = 0;
        long removed = 0;
        ExpirySweep sweep;
        do {
            sweep = cache.expireDue();
            sweeps++;
            assertTrue(sweep.removed() <= bound, "sweep " + sweeps + " removed " + sweep.removed());
            assertTrue(sweep.removed() > 0 || sweep.done(), "a sweep that is not done made progress");
            removed += sweep.removed();
            assertEquals(EXPIRING + LASTING - removed, cache.size());
            assertFalse(removed < EXPIRING && sweep.done(), "done with " + (EXPIRING - removed) + " still due");
        } while (!sweep.done());
        assertEquals(EXPIRING, removed);
        return sweeps;
    }

    private void assertAllExpiredAndCountedOnce() {
        assertEquals(LASTING, cache.size());
        CacheStats stats = cache.stats();
        assertEquals(EXPIRING, stats.expirations());
        assertEquals(0, stats.evictions() + stats.misses());
        assertNotNull(cache.peek("lasting-0"));
    }
}
