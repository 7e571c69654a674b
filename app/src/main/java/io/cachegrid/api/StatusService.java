package io.cachegrid.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheStats;
import io.cachegrid.engine.CompressionStats;
import io.cachegrid.json.JsonWriter;
import io.cachegrid.persist.PersistenceStatus;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The seed's status routes: {@code GET /} (service card), {@code GET /stats} and {@code GET /health}. Both of the
 * latter read one {@link CacheStats} snapshot, so their figures agree. Also {@code GET /favicon.ico}, which every
 * browser asks for, so that it gets our icon instead of a 404 in the log.
 */
public final class StatusService implements HttpService {

    private static final double MIB = 1024.0 * 1024.0;
    private static final MediaType ICON = MediaTypes.create("image", "x-icon");

    private final CacheEngine engine;
    private final String nodeId;
    private final String version;
    private final boolean clustered;
    private final long startedAtNanos = System.nanoTime();
    private final io.helidon.health.HealthCheck heapCheck = new HeapAfterCollectionCheck();
    private final byte[] favicon = resource("favicon.ico");

    private final Supplier<PersistenceStatus> persistence;

    public StatusService(CacheEngine engine, String nodeId, String version) {
        this(engine, nodeId, version, false);
    }

    /** @param clustered whether this node is a cluster member: the index then links {@code /cluster} */
    public StatusService(CacheEngine engine, String nodeId, String version, boolean clustered) {
        this(engine, nodeId, version, clustered, () -> PersistenceStatus.OFF);
    }

    /** As above, with the node's persistence state, shown in {@code /stats} as {@code "persistence"}. */
    public StatusService(CacheEngine engine, String nodeId, String version, boolean clustered,
                         Supplier<PersistenceStatus> persistence) {
        this.engine = engine;
        this.nodeId = nodeId;
        this.version = version;
        this.clustered = clustered;
        this.persistence = persistence;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::index)
                .get("/stats", this::stats)
                .get("/health", this::health)
                .get("/favicon.ico", this::favicon);
    }

    private void favicon(ServerRequest req, ServerResponse res) {
        res.headers().contentType(ICON);
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400").send(favicon);
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusService.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void index(ServerRequest req, ServerResponse res) {
        JsonWriter out = new JsonWriter().beginObject()
                .name("service").value("CacheGrid").name("version").value(version).name("status").value("running")
                .name("node_id").value(nodeId)
                .name("docs").value("/docs").name("openapi").value("/openapi").name("health").value("/health")
                .name("stats").value("/stats").name("metrics").value("/metrics").name("console").value("/console/");
        if (clustered) {
            out.name("cluster").value("/cluster"); // the console shows its cluster panel only then
        }
        Json.send(res, out.endObject());
    }

    private void stats(ServerRequest req, ServerResponse res) {
        RequestReader.booleanParam(req, "local"); // accepted and checked: statistics are this node's either way
        CacheStats s = engine.stats();
        JsonWriter out = new JsonWriter().beginObject()
                .name("hits").value(s.hits()).name("misses").value(s.misses())
                .name("sets").value(s.sets()).name("deletes").value(s.deletes())
                .name("evictions").value(s.evictions()).name("expired_items").value(s.expirations())
                .name("current_size").value(s.size()).name("max_size").value(s.maxSize())
                .name("memory_usage_bytes").value(s.memoryBytes()).name("memory_usage_mb").value(mib(s.memoryBytes()))
                .name("max_memory_mb").value(Math.round(s.maxMemoryBytes() / MIB))
                .name("hit_ratio").value(round(s.hitRatio(), 4)).name("uptime_seconds").value(uptimeSeconds())
                .name("eviction_policy").value(s.policy().configName()).name("node_id").value(nodeId);
        compression(out, engine.compressionStats());
        Json.send(res, persistence(out.name("persistence"), persistence.get()).endObject());
    }

    /**
     * The compression fields of {@code /stats}, over the values above the threshold held now: original bytes over
     * stored bytes (1.0 when there is none, or compression is off), how many are held compressed and how many as
     * they were (they did not shrink enough), and both byte sums.
     */
    private static void compression(JsonWriter out, CompressionStats c) {
        out.name("compression_threshold_bytes").value(c.thresholdBytes())
                .name("compression_ratio").value(round(c.ratio(), 4))
                .name("compressed_values").value(c.compressedValues())
                .name("incompressible_values").value(c.incompressibleValues())
                .name("compression_original_bytes").value(c.originalBytes() + c.incompressibleBytes())
                .name("compression_stored_bytes").value(c.storedBytes() + c.incompressibleBytes());
    }

    /** {@code "persistence":{...}}: the mode, and with persistence on its log, snapshot and start figures. */
    private static JsonWriter persistence(JsonWriter out, PersistenceStatus p) {
        out.beginObject().name("mode").value(p.mode());
        if (p.enabled()) {
            out.name("fsync").value(p.fsync()).name("log_bytes").value(p.logBytes())
                    .name("last_snapshot_time").value(p.lastSnapshotMillis() < 0 ? -1 : p.lastSnapshotMillis() / 1000.0)
                    .name("last_snapshot_duration_ms").value(p.lastSnapshotDurationMillis())
                    .name("last_snapshot_entries").value(p.lastSnapshotEntries())
                    .name("last_snapshot_bytes").value(p.lastSnapshotBytes())
                    .name("snapshots").value(p.snapshots())
                    .name("last_fsync_us").value(p.lastFsyncMicros()).name("fsyncs").value(p.fsyncs())
                    .name("replay_ms").value(p.replayMillis())
                    .name("loaded_snapshot_entries").value(p.loadedSnapshotEntries())
                    .name("replayed_records").value(p.replayedRecords()).name("healthy").value(p.healthy());
        }
        return out.endObject();
    }

    /** 200 while the node can serve; 503 when the JVM heap is nearly exhausted, so orchestrators stop routing. */
    private void health(ServerRequest req, ServerResponse res) {
        CacheStats s = engine.stats();
        boolean healthy = heapCheck.call().status() == HealthCheckResponse.Status.UP;
        Json.send(res, healthy ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, new JsonWriter().beginObject()
                .name("status").value(healthy ? "healthy" : "unhealthy")
                .name("uptime_seconds").value(uptimeSeconds()).name("cache_size").value(s.size())
                .name("hit_ratio").value(round(s.hitRatio(), 4)).name("memory_usage_mb").value(mib(s.memoryBytes()))
                .name("last_check").value(Json.timestamp()).name("node_id").value(nodeId)
                .endObject());
    }

    private double uptimeSeconds() {
        return round((System.nanoTime() - startedAtNanos) / 1e9, 3);
    }

    private static double mib(long bytes) {
        return round(bytes / MIB, 2);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
