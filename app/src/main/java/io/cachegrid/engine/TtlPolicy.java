package io.cachegrid.engine;

import java.util.Comparator;

/**
 * Soonest expiry first. When a segment is full, the entry closest to its deadline has the least life left to
 * serve, so it goes first; entries without a TTL carry the "never" deadline and so go last. Among equal
 * deadlines the oldest write goes first. Indexed heap ordered by (deadline, write order): O(log n).
 */
final class TtlPolicy extends HeapPolicy {
    private static final Comparator<Entry> SOONEST_DEADLINE_THEN_OLDEST =
            Comparator.<Entry>comparingLong(entry -> entry.deadline).thenComparingLong(entry -> entry.writeOrder);

    TtlPolicy() {
        super("ttl", SOONEST_DEADLINE_THEN_OLDEST);
    }
}
