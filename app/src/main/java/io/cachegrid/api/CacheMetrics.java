package io.cachegrid.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheStats;
import io.cachegrid.engine.CompressionStats;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;

/**
 * Publishes the engine's counters as Helidon meters (Prometheus names {@code cachegrid_*}). The meters read the
 * engine's own counters when scraped, so the request path pays nothing for metrics. Closing removes them, so a
 * later node in the same JVM (tests start several) publishes its own engine, not a stopped one.
 */
public final class CacheMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final CacheEngine engine;
    private final List<Meter> meters = new ArrayList<>();

    private CacheMetrics(MeterRegistry registry, CacheEngine engine) {
        this.registry = registry;
        this.engine = engine;
    }

    public static CacheMetrics register(MeterRegistry registry, CacheEngine engine) {
        CacheMetrics metrics = new CacheMetrics(registry, engine);
        metrics.counter("cachegrid.hits", "Reads that found a live entry", CacheStats::hits);
        metrics.counter("cachegrid.misses", "Reads that found nothing or an expired entry", CacheStats::misses);
        metrics.counter("cachegrid.sets", "Entries written", CacheStats::sets);
        metrics.counter("cachegrid.deletes", "Entries deleted by request", CacheStats::deletes);
        metrics.counter("cachegrid.evictions", "Entries evicted by the policy to respect a limit",
                CacheStats::evictions);
        metrics.counter("cachegrid.expirations", "Entries removed because their ttl ran out", CacheStats::expirations);
        metrics.gauge("cachegrid.entries", "Entries in the cache", CacheStats::size);
        metrics.gauge("cachegrid.memory.bytes", "Bytes of cache memory accounted to entries", CacheStats::memoryBytes);
        metrics.gauge("cachegrid.max.entries", "Configured item limit", CacheStats::maxSize);
        metrics.gauge("cachegrid.max.memory.bytes", "Configured memory limit in bytes", CacheStats::maxMemoryBytes);
        metrics.compressionGauge("cachegrid.compression.ratio", "Original over stored bytes of the values above"
                + " the compression threshold (1 when none or off)", CompressionStats::ratio);
        metrics.compressionGauge("cachegrid.compressed.values", "Values held compressed",
                c -> c.compressedValues());
        metrics.compressionGauge("cachegrid.incompressible.values", "Values above the compression threshold held"
                + " as they are (they did not shrink enough)", c -> c.incompressibleValues());
        metrics.compressionGauge("cachegrid.compression.original.bytes", "Bytes of the values above the compression"
                + " threshold, uncompressed", c -> c.originalBytes() + c.incompressibleBytes());
        metrics.compressionGauge("cachegrid.compression.stored.bytes", "Bytes those values take as stored",
                c -> c.storedBytes() + c.incompressibleBytes());
        return metrics;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private void counter(String name, String help, ToLongFunction<CacheStats> read) {
        meters.add(registry.getOrCreate(FunctionalCounter.builder(name, engine, e -> read.applyAsLong(e.stats()))
                .description(help)));
    }

    private void compressionGauge(String name, String help, ToDoubleFunction<CompressionStats> read) {
        meters.add(registry.getOrCreate(Gauge.builder(name, engine, e -> read.applyAsDouble(e.compressionStats()))
                .description(help)));
    }

    private void gauge(String name, String help, ToLongFunction<CacheStats> read) {
        meters.add(registry.getOrCreate(Gauge.builder(name, engine, e -> (double) read.applyAsLong(e.stats()))
                .description(help)));
    }
}
