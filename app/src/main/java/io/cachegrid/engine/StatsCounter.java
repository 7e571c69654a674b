package io.cachegrid.engine;

import java.util.concurrent.atomic.LongAdder;

/** The cache's event counters: LongAdders, so concurrent increments are never lost nor serialized. */
final class StatsCounter {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder sets = new LongAdder();
    final LongAdder deletes = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder expirations = new LongAdder();

    CacheStats snapshot(long size, long memoryBytes, CacheSettings settings) {
        return new CacheStats(hits.sum(), misses.sum(), sets.sum(), deletes.sum(), evictions.sum(),
                              expirations.sum(), size, memoryBytes, settings.maxSize(),
                              settings.maxMemoryBytes(), settings.policy());
    }
}
