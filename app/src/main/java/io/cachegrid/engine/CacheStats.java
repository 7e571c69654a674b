package io.cachegrid.engine;

/** A point-in-time view of the counters and the occupancy of a cache. */
public record CacheStats(long hits, long misses, long sets, long deletes, long evictions, long expirations,
                         long size, long memoryBytes, long maxSize, long maxMemoryBytes, EvictionPolicy policy) {

    /** hits / (hits + misses), or 0.0 before the first read. */
    public double hitRatio() {
        long reads = hits + misses;
        return reads == 0 ? 0.0 : (double) hits / reads;
    }
}
