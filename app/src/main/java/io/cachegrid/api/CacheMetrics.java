package io.cachegrid.api;

import java.util.function.ToLongFunction;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheStats;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;

/**
 * Publishes the engine's counters as Helidon meters (Prometheus names {@code cachegrid_*}). The meters read the
 * engine's own counters when scraped, so the request path pays nothing for metrics.
 */
public final class CacheMetrics {

    private CacheMetrics() {
    }

    public static void register(MeterRegistry registry, CacheEngine engine) {
        counter(registry, engine, "cachegrid.hits", "Reads that found a live entry", CacheStats::hits);
        counter(registry, engine, "cachegrid.misses", "Reads that found nothing or an expired entry",
                CacheStats::misses);
        counter(registry, engine, "cachegrid.sets", "Entries written", CacheStats::sets);
        counter(registry, engine, "cachegrid.deletes", "Entries deleted by request", CacheStats::deletes);
        counter(registry, engine, "cachegrid.evictions", "Entries evicted by the policy to respect a limit",
                CacheStats::evictions);
        counter(registry, engine, "cachegrid.expirations", "Entries removed because their ttl ran out",
                CacheStats::expirations);
        gauge(registry, engine, "cachegrid.entries", "Entries in the cache", CacheStats::size);
        gauge(registry, engine, "cachegrid.memory.bytes", "Bytes of cache memory accounted to entries",
                CacheStats::memoryBytes);
        gauge(registry, engine, "cachegrid.max.entries", "Configured item limit", CacheStats::maxSize);
        gauge(registry, engine, "cachegrid.max.memory.bytes", "Configured memory limit in bytes",
                CacheStats::maxMemoryBytes);
    }

    private static void counter(MeterRegistry registry, CacheEngine engine, String name, String help,
                                ToLongFunction<CacheStats> read) {
        registry.getOrCreate(FunctionalCounter.builder(name, engine, e -> read.applyAsLong(e.stats()))
                .description(help));
    }

    private static void gauge(MeterRegistry registry, CacheEngine engine, String name, String help,
                              ToLongFunction<CacheStats> read) {
        registry.getOrCreate(Gauge.builder(name, engine, e -> (double) read.applyAsLong(e.stats())).description(help));
    }
}
