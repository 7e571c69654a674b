package io.cachegrid.engine;

import java.util.Comparator;

/**
 * Largest first. Evicting the heaviest entry frees the most memory per eviction, keeping the most entries
 * for a memory budget; among equal weights the oldest write goes first. Indexed heap ordered by
 * (weight descending, write order): O(log n).
 */
final class SizePolicy extends HeapPolicy {
    private static final Comparator<Entry> HEAVIEST_THEN_OLDEST =
            Comparator.<Entry>comparingLong(entry -> -entry.weight).thenComparingLong(entry -> entry.writeOrder);

    SizePolicy() {
        super("size", HEAVIEST_THEN_OLDEST);
    }
}
