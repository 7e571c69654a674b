package io.cachegrid.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The background expiry sweep, in bounded steps, after Redis's active expire cycle ({@code expire.c}).
 *
 * <p>Why bounded: a segment removes expired entries under its write lock, and while it holds it every reader of
 * that segment falls off the optimistic path and waits. A mass expiry (a million entries written with one TTL)
 * once ran as one hold of tens of milliseconds. Now each hold removes at most {@link #ENTRIES_PER_STEP} entries
 * (tens of microseconds), then releases the locks so waiting readers and writers go first; and one sweep stops
 * after {@link #BUDGET_NANOS}, reporting that it is not done, so the sweeper comes back soon rather than taking
 * a core for as long as the backlog lasts. Entries left due meanwhile still expire lazily on read.
 *
 * <p>The segments are swept in turn, each until nothing in it is due; the cursor survives a sweep that ran out
 * of time, so the next one resumes where it stopped instead of always starting with segment 0 (Redis keeps its
 * current database across cycles for the same reason). Time is the engine's {@link Ticker}, which the tests
 * replace; each step costs O(entries removed · log n) and nothing else (the expiry heap holds only entries with a
 * TTL, soonest first).
 */
final class ExpiryCycle {
    /**
     * Expired entries removed per hold of one segment's locks. A removal (table, expiry heap, policy) measured
     * 1.2-3.9 µs on the shared 2-core machine ({@code ExpiryLatencyProbe}: 1M removed in 1.2-3.9 s), so a hold
     * lasts about 0.1-0.25 ms, where one segment's whole backlog (15,600 entries there) held it for tens of ms.
     */
    static final int ENTRIES_PER_STEP = 64;
    /** Time one sweep may take before it hands back, as Redis's slow cycle (25% of its 100 ms period). */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final Segment[] segments;
    private final Ticker ticker;
    /** One sweep at a time, so the cursor and the budget belong to one caller. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The segment the next step sweeps; guarded by {@link #lock}. */
    private int cursor;

    ExpiryCycle(Segment[] segments, Ticker ticker) {
        this.segments = segments;
        this.ticker = ticker;
    }

    /** Removes what is due, step by step, until nothing is or the budget is spent. */
    ExpirySweep sweep() {
        lock.lock();
        try {
            long start = ticker.nanos();
            int removed = 0;
            int finished = 0;       // segments with nothing left due at `start`, which stays so: none is revisited
            while (finished < segments.length) {
                int step = segments[cursor].expireDue(start, ENTRIES_PER_STEP);
                removed += step;
                if (step < ENTRIES_PER_STEP) {
                    finished++;
                    cursor = (cursor + 1) & (segments.length - 1);
                }
                // the budget is checked after removals only, so every sweep that stops early has made progress
                if (step > 0 && finished < segments.length && ticker.nanos() - start >= BUDGET_NANOS) {
                    return new ExpirySweep(removed, false);
                }
            }
            return new ExpirySweep(removed, true);
        } finally {
            lock.unlock();
        }
    }
}
