package io.cachegrid.engine;

/**
 * Largest first. Evicting the heaviest entry frees the most memory per eviction, keeping the most entries
 * for a memory budget; among equal weights the oldest write goes first. Indexed heap ordered by
 * (weight descending, write order): O(log n).
 */
final class SizePolicy extends HeapPolicy {
    private static final EntryHeap.Order HEAVIEST_THEN_OLDEST = (a, writeA, b, writeB) -> {
        int byWeight = Long.compare(b.weight(), a.weight());
        return byWeight != 0 ? byWeight : Long.compare(writeA, writeB);
    };

    SizePolicy() {
        super("size", HEAVIEST_THEN_OLDEST);
    }
}
