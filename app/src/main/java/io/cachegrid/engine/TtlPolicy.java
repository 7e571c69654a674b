package io.cachegrid.engine;

/**
 * Soonest expiry first. When a segment is full, the entry closest to its deadline has the least life left to
 * serve, so it goes first; entries without a TTL carry the "never" deadline and so go last. Among equal
 * deadlines the oldest write goes first. Indexed heap ordered by (deadline, write order): O(log n).
 */
final class TtlPolicy extends HeapPolicy {
    private static final EntryHeap.Order SOONEST_DEADLINE_THEN_OLDEST = (a, writeA, b, writeB) -> {
        int byDeadline = Long.compare(a.deadline(), b.deadline());
        return byDeadline != 0 ? byDeadline : Long.compare(writeA, writeB);
    };

    TtlPolicy() {
        super("ttl", SOONEST_DEADLINE_THEN_OLDEST);
    }
}
