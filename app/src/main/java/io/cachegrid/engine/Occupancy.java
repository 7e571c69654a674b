package io.cachegrid.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the whole cache holds (entries and accounted bytes) against its two limits, which are global: a cache of
 * max_size 10,000 holds 10,000 entries, however its keys fall on the segments.
 *
 * <p>Each segment adds the change of its own occupancy here at the end of every change, still under its lock
 * ({@link Segment}), so at quiescence these totals equal the sum over the segments (the invariant check compares
 * them). Two AtomicLongs rather than LongAdders: every put reads them to decide whether it must make room, and a
 * read of an AtomicLong is one load where a LongAdder sums its cells.
 */
final class Occupancy {
    private final long maxItems;
    private final long maxWeight;
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong weight = new AtomicLong();

    Occupancy(long maxItems, long maxWeight) {
        this.maxItems = maxItems;
        this.maxWeight = maxWeight;
    }

    void add(long itemsDelta, long weightDelta) {
        if (itemsDelta != 0) {
            items.addAndGet(itemsDelta);
        }
        if (weightDelta != 0) {
            weight.addAndGet(weightDelta);
        }
    }

    /** Whether holding {@code extraItems} more entries and {@code extraWeight} more bytes would break a limit. */
    boolean exceededBy(long extraItems, long extraWeight) {
        return items.get() + extraItems > maxItems || weight.get() + extraWeight > maxWeight;
    }

    /** Whether {@code extraItems} more entries would break the item limit. */
    boolean itemsExceededBy(long extraItems) {
        return items.get() + extraItems > maxItems;
    }

    /** Whether {@code extraWeight} more bytes would break the memory limit. */
    boolean weightExceededBy(long extraWeight) {
        return weight.get() + extraWeight > maxWeight;
    }

    boolean exceeded() {
        return exceededBy(0, 0);
    }

    long items() {
        return items.get();
    }

    long weight() {
        return weight.get();
    }

    @Override
    public String toString() {
        return items() + " of " + maxItems + " entries, " + weight() + " of " + maxWeight + " bytes";
    }
}
