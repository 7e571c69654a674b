package io.cachegrid.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Why: in a cluster a clear must hold like a delete of every key: a copy written before it that arrives later (a
 * late replica write, a rebalancing push, read repair, anti-entropy from a member that missed the clear) must not
 * bring its key back, and keeping a tombstone per cleared key would cost as much memory as the keys did. So a
 * clustered clear is one version (the epoch, chosen by the member that received it and sent to all): each segment
 * removes the entries older than it, and from then on a copy at that version or an older one is refused under the
 * segment lock ({@link Segment#put}, {@link Segment#deleteVersioned}). One long for the whole engine, only rising;
 * 0 until the first versioned clear. Local writes are never refused: the clock has observed the epoch, so their
 * versions are newer.
 */
final class ClearEpoch {
    private final AtomicLong epoch = new AtomicLong();

    long get() {
        return epoch.get();
    }

    /** Raises the epoch to {@code version} if it is newer; returns the epoch now. */
    long raise(long version) {
        return epoch.accumulateAndGet(version, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    /** Whether a copy at {@code version} is as old as the last clear or older (and so refused). */
    boolean covers(long version) {
        long current = epoch.get();
        return current != 0 && Long.compareUnsigned(version, current) <= 0;
    }
}
