package io.cachegrid.engine;

/** The share of the cache's limits that one segment enforces on its own. */
record SegmentLimits(long maxItems, long maxWeight) {

    /** Splits the cache limits evenly; rounding down keeps the sum over all segments within the cache limits. */
    static SegmentLimits share(CacheSettings settings, int segments) {
        return new SegmentLimits(settings.maxSize() / segments, settings.maxMemoryBytes() / segments);
    }

    boolean exceededBy(long items, long weight) {
        return items > maxItems || weight > maxWeight;
    }
}
