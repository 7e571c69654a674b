package io.cachegrid.persist;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;

/**
 * Why: operators watch persistence where they watch the rest ({@code /metrics}, Prometheus names
 * {@code cachegrid_persistence_*}): log size, the last snapshot's time and duration, the last fsync's latency and
 * the start's replay time. Read from {@link Persistence#status()} when scraped; registered only when persistence is
 * on, removed on close.
 */
public final class PersistenceMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Persistence persistence;
    private final List<Meter> meters = new ArrayList<>();

    private PersistenceMetrics(MeterRegistry registry, Persistence persistence) {
        this.registry = registry;
        this.persistence = persistence;
    }

    public static PersistenceMetrics register(MeterRegistry registry, Persistence persistence) {
        PersistenceMetrics metrics = new PersistenceMetrics(registry, persistence);
        metrics.gauge("cachegrid.persistence.log.bytes", "Bytes of the persistence log segments on disk",
                PersistenceStatus::logBytes);
        metrics.gauge("cachegrid.persistence.last.snapshot.timestamp.seconds",
                "When the last snapshot finished (epoch seconds; -1 none since start)",
                s -> s.lastSnapshotMillis() < 0 ? -1 : s.lastSnapshotMillis() / 1000.0);
        metrics.gauge("cachegrid.persistence.last.snapshot.duration.seconds", "How long the last snapshot took",
                s -> s.lastSnapshotDurationMillis() < 0 ? -1 : s.lastSnapshotDurationMillis() / 1000.0);
        metrics.gauge("cachegrid.persistence.snapshots", "Snapshots taken since start", PersistenceStatus::snapshots);
        metrics.gauge("cachegrid.persistence.last.fsync.seconds", "Duration of the last log fsync",
                s -> s.lastFsyncMicros() < 0 ? -1 : s.lastFsyncMicros() / 1e6);
        metrics.gauge("cachegrid.persistence.fsyncs", "Log fsyncs since start", PersistenceStatus::fsyncs);
        metrics.gauge("cachegrid.persistence.replay.seconds",
                "Time the start spent loading the snapshot and replaying the log", s -> s.replayMillis() / 1000.0);
        metrics.gauge("cachegrid.persistence.healthy", "1 while the log can be written, 0 after a failure",
                s -> s.healthy() ? 1 : 0);
        return metrics;
    }

    private void gauge(String name, String help, ToDoubleFunction<PersistenceStatus> read) {
        meters.add(registry.getOrCreate(Gauge.builder(name, persistence,
                p -> read.applyAsDouble(p.status())).description(help)));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
