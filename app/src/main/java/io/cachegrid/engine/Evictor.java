package io.cachegrid.engine;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Brings the whole cache back within its limits ({@link Occupancy}) after a write, one eviction at a time.
 *
 * <p><b>Which victim.</b> The writer's own segment's policy victim first: a put into a full cache then evicts from
 * the segment it adds to, so once the cache has filled every segment keeps about the number of entries it had
 * then, and within a segment each policy's rule decides exactly as before. Only when its own segment holds
 * nothing but the entry just written (or the policy names that entry) do the other segments give up their
 * victims, in turn (round robin, the cursor kept across calls so no segment is always the first to pay). The
 * entry just written is its own victim only when nothing else is left to evict.
 *
 * <p><b>A full cache's usual put takes no lock of this class.</b> It pays for what it adds from its own segment,
 * under the segment's locks it already holds ({@code Segment.makeRoomForOwnGrowth}): it evicts only while a limit
 * would be exceeded <em>and</em> its own growth in that limit is positive, so two writers evicting at once each
 * evict what they add and no more. This lock serializes the rest: a put whose own segment has nothing to give
 * (only the key it replaces), and every {@link #evictUntilWithin}, which removes an excess left by concurrent
 * writers. Under it two writers that both find the cache one entry over its limit do not both evict: such
 * evictions happen only while a limit is exceeded, so the cache never ends short of a limit by more than the last
 * victim, and the evictions counted are exactly the entries evicted. A writer asks for the lock only after it has
 * released its own segment's locks, and the holder takes one segment's locks at a time, so no thread ever waits
 * for a segment while holding another: no deadlock. (Before, every insert into a full cache took this lock and
 * its segment's locks twice: inserts into a full cache ran one at a time.)
 *
 * <p>What is left: two writers that both found room for one more entry may both store it, so the totals can
 * exceed a limit by the puts in flight, until each of them calls {@link #evictUntilWithin} (Caffeine's bound is
 * loose the same way between a write and its buffered eviction). At quiescence both limits hold.
 */
final class Evictor {
    private final ReentrantLock lock = new ReentrantLock();
    private final Segment[] segments;
    private final Occupancy occupancy;
    /** The next segment to ask when the writer's own has nothing to evict; guarded by {@link #lock}. */
    private int cursor;

    Evictor(Segment[] segments, Occupancy occupancy) {
        this.segments = segments;
        this.occupancy = occupancy;
    }

    /** Taken around a put that must make room in its own segment first; reentrant. Call with no segment locked. */
    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** Evicts until both limits hold, sparing {@code written} (in {@code home}) while anything else is left. */
    void evictUntilWithin(Segment home, Entry written, long now) {
        lock.lock();
        try {
            while (occupancy.exceeded()) {
                if (!home.evictOne(written, now) && !evictElsewhere(home, written, now)
                        && !home.evictOne(null, now)) {
                    return;     // the cache is empty: nothing was over after all (a concurrent clear)
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One eviction from the first segment after the cursor, other than home, that has a victim. */
    private boolean evictElsewhere(Segment home, Entry written, long now) {
        for (int asked = 0; asked < segments.length; asked++) {
            Segment segment = segments[cursor];
            cursor = (cursor + 1) & (segments.length - 1);
            if (segment != home && segment.evictOne(written, now)) {
                return true;
            }
        }
        return false;
    }
}
