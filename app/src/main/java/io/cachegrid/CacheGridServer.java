package io.cachegrid;

import io.cachegrid.api.AdminService;
import io.cachegrid.api.ApiLimits;
import io.cachegrid.api.BatchService;
import io.cachegrid.api.CacheMetrics;
import io.cachegrid.api.CacheReadinessCheck;
import io.cachegrid.api.CacheService;
import io.cachegrid.api.DocsService;
import io.cachegrid.api.ErrorResponses;
import io.cachegrid.api.LoadTestService;
import io.cachegrid.api.StatusService;
import io.cachegrid.cluster.Cluster;
import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.Ticker;
import io.cachegrid.loadtest.LoadTester;
import io.cachegrid.security.Security;
import io.helidon.config.Config;
import io.helidon.metrics.api.Metrics;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentFeature;

/**
 * One running CacheGrid node: the engine, its background work and the web server in front of it. This is the
 * composition root; {@link Main} only reads configuration and starts it, and tests start it the same way.
 */
public final class CacheGridServer implements AutoCloseable {

    public static final String VERSION = "1.0.0";

    private final CacheEngine engine;
    private final ExpirySweeper sweeper;
    private final LoadTester loadTester;
    private final CacheMetrics metrics;
    private final Cluster cluster;
    private final Security security;
    private final WebServer server;

    private CacheGridServer(CacheGridSettings settings, Config serverConfig) {
        engine = new CacheEngine(new CacheSettings(settings.maxSize(), settings.maxMemoryBytes(),
                settings.evictionPolicy(), 0, Ticker.system()));
        sweeper = new ExpirySweeper(engine, settings.cleanupIntervalSeconds());
        loadTester = new LoadTester(engine);
        metrics = CacheMetrics.register(Metrics.globalRegistry(), engine);
        ApiLimits limits = ApiLimits.from(settings);
        cluster = Cluster.create(settings.cluster(), settings.nodeId(), settings.host(), engine, limits,
                settings.security().tokens().peerAuthorization());
        security = Security.create(settings.security(), Metrics.globalRegistry());
        server = WebServer.builder()
                .config(serverConfig)
                .host(settings.host())
                .port(settings.port())
                .maxPayloadSize(limits.maxRequestBytes())
                .directHandlers(ErrorResponses.directHandlers())
                .addFeature(observe(engine))
                .addFeature(OpenApiFeature.builder().webContext("/openapi").build())
                .addFeature(staticContent())
                .routing(routing -> routing(routing, settings, limits))
                .update(security::configure)
                .build();
    }

    /**
     * Builds and starts a node.
     *
     * @param settings     validated settings
     * @param serverConfig the {@code server} section of the configuration (protocol limits, timeouts)
     * @return the started node
     */
    public static CacheGridServer start(CacheGridSettings settings, Config serverConfig) {
        CacheGridServer node = new CacheGridServer(settings, serverConfig);
        node.server.start();
        if (!node.server.isRunning()) {
            node.stopBackgroundWork();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (is the port in use? set CACHEGRID_PORT)");
        }
        node.cluster.start(node.server.port());
        return node;
    }

    public int port() {
        return server.port();
    }

    public CacheEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        cluster.close(); // first: no health checks or pushes from a node that is going away
        server.stop();
        stopBackgroundWork();
    }

    private void stopBackgroundWork() {
        cluster.close();
        loadTester.close();
        sweeper.close();
        metrics.close();
        security.close();
    }

    private void routing(HttpRouting.Builder routing, CacheGridSettings settings, ApiLimits limits) {
        ErrorResponses.register(routing);
        security.install(routing); // before the cluster's filter: a request is checked where it arrives
        cluster.install(routing); // without cluster settings: nothing
        // the hot routes first: routing tries them in this order
        routing.register("/cache/batch", new BatchService(engine, limits))
                .register("/cache", new CacheService(engine, limits))
                .register("/", new StatusService(engine, settings.nodeId(), VERSION))
                .register("/admin", new AdminService(engine, limits))
                .register("/test/load", new LoadTestService(loadTester, limits))
                .register("/docs", new DocsService())
                .get("/metrics", (req, res) -> res.reroute("/observe/metrics"))
                .get("/console", (req, res) -> res.reroute("/console/"));
    }

    /**
     * Liveness: heap and deadlocks (helidon-health-checks registers them itself, found on the class path).
     * Readiness: the engine answers, with its occupancy.
     */
    private static ObserveFeature observe(CacheEngine engine) {
        return ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(new CacheReadinessCheck(engine))
                        .build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    private static StaticContentFeature staticContent() {
        return StaticContentFeature.builder()
                .addClasspath(cp -> cp.location("cachegrid-console").context("/console").welcome("index.html"))
                .addClasspath(cp -> cp.location("META-INF/resources/webjars").context("/webjars"))
                .build();
    }
}
