package io.cachegrid.engine;

/**
 * The share of the cache's limits one segment is expected to hold: it sizes per-segment structures (tinylfu's
 * regions and sketch). It is not enforced: the limits are the whole cache's ({@link Occupancy}), and a segment
 * may hold somewhat more or less than its share, as the keys fall.
 */
record SegmentLimits(long maxItems, long maxWeight) {

    /** The cache limits divided evenly, rounded up, so that every segment expects room for at least one entry. */
    static SegmentLimits share(CacheSettings settings, int segments) {
        return new SegmentLimits(Math.ceilDiv(settings.maxSize(), segments),
                                 Math.ceilDiv(settings.maxMemoryBytes(), segments));
    }
}
