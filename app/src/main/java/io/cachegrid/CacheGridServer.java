package io.cachegrid;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.cachegrid.api.AdminService;
import io.cachegrid.api.ApiLimits;
import io.cachegrid.api.BatchService;
import io.cachegrid.api.CacheMetrics;
import io.cachegrid.api.CacheReadinessCheck;
import io.cachegrid.api.HeapAfterCollectionCheck;
import io.cachegrid.api.CacheService;
import io.cachegrid.api.DocsService;
import io.cachegrid.api.ErrorResponses;
import io.cachegrid.api.HostHeaderCheck;
import io.cachegrid.api.LoadTestService;
import io.cachegrid.api.MalformedPreconditions;
import io.cachegrid.api.StatusService;
import io.cachegrid.api.TagService;
import io.cachegrid.cluster.Cluster;
import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.Ticker;
import io.cachegrid.engine.ValueCompression;
import io.cachegrid.loadtest.LoadTester;
import io.cachegrid.persist.DurabilityFilter;
import io.cachegrid.persist.Persistence;
import io.cachegrid.persist.PersistenceMetrics;
import io.cachegrid.persist.PersistenceStatus;
import io.cachegrid.security.Security;
import io.helidon.common.socket.SocketOptions;
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

    private static final System.Logger LOG = System.getLogger(CacheGridServer.class.getName());

    /** How often the listener is checked (and closed connections forgotten). */
    static final Duration WATCHDOG_PERIOD = Duration.ofSeconds(1);

    private final CacheEngine engine;
    private final ExpirySweeper sweeper;
    private final LoadTester loadTester;
    private final CacheMetrics metrics;
    /** Null when persistence is off: then nothing of it exists (no thread, no file, no engine listener). */
    private final Persistence persistence;
    private final PersistenceMetrics persistenceMetrics;
    private final Cluster cluster;
    private final Security security;
    private final CacheGridSettings settings;
    private final Config serverConfig;
    private final ApiLimits limits;
    private final ConnectionGuard guard;
    private final ScheduledExecutorService watchdog;
    /** Servers whose listener died and was replaced: they still serve the connections they had. */
    private final List<WebServer> retired = new CopyOnWriteArrayList<>();
    private volatile WebServer server;
    private volatile boolean closed;
    private final InetAddress probeAddress;
    private volatile int lastPort;

    private CacheGridServer(CacheGridSettings settings, Config serverConfig) {
        // a clustered node's deletes leave tombstones (an older copy from another member cannot undo them); a single
        // node has no other copies, so it keeps none and its memory is as before
        engine = new CacheEngine(new CacheSettings(settings.maxSize(), settings.maxMemoryBytes(),
                settings.evictionPolicy(), 0, Ticker.system(),
                settings.cluster().enabled() ? settings.cluster().tombstoneNanos() : 0)
                .withCompressionThreshold(settings.compressionThresholdBytes()));
        // load the data directory before anything can write or serve
        persistence = settings.persistence().enabled() ? Persistence.start(settings.persistence(), engine) : null;
        persistenceMetrics = persistence == null ? null
                : PersistenceMetrics.register(Metrics.globalRegistry(), persistence);
        sweeper = new ExpirySweeper(engine, settings.cleanupIntervalSeconds());
        loadTester = new LoadTester(engine);
        metrics = CacheMetrics.register(Metrics.globalRegistry(), engine);
        limits = ApiLimits.from(settings);
        cluster = Cluster.create(settings.cluster(), settings.nodeId(), settings.host(), engine, limits,
                settings.security().tokens().peerAuthorization(), settings.security().peerTls());
        security = Security.create(settings.security(), Metrics.globalRegistry());
        this.settings = settings;
        this.serverConfig = serverConfig;
        int cap = ConnectionGuard.effectiveCap(settings.maxConnections());
        if (cap < settings.maxConnections()) {
            LOG.log(System.Logger.Level.WARNING, "CACHEGRID_MAX_CONNECTIONS={0} does not fit the file-descriptor limit "
                    + "of this process; using {1} (raise ulimit -n to allow more)", String.valueOf(settings.maxConnections()),
                    String.valueOf(cap));
        }
        if (settings.compressionThresholdBytes() > 0) {
            LOG.log(System.Logger.Level.INFO, "Values over {0} bytes are stored compressed when that saves 1/8 or more;"
                    + " codec {1}", String.valueOf(settings.compressionThresholdBytes()), ValueCompression.codecName());
        }
        guard = new ConnectionGuard(cap, settings.readTimeout(), settings.idleTimeout(), settings.requestTimeout());
        probeAddress = probeAddress(settings.host());
        server = webServer(settings.port());
        watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("cachegrid-listener-watchdog").factory());
    }

    /**
     * A web server on {@code port}. Limits from {@link ConnectionGuard}; Helidon's own {@code max-tcp-connections}
     * stays one above the guard's cap (so the guard can still accept and refuse) and its idle-connection timeout is
     * ours, checked often enough to matter.
     */
    private WebServer webServer(int port) {
        Duration idle = settings.idleTimeout();
        return WebServer.builder()
                .config(serverConfig)
                .host(settings.host())
                .port(port)
                .maxPayloadSize(limits.maxRequestBytes())
                .useNio(false) // the blocking socket adaptor honours SO_TIMEOUT, the read timeout (ConnectionGuard)
                .connectionOptions(guard.socketOptions(SocketOptions.create(serverConfig.get("connection-options"))))
                .maxTcpConnections(guard.cap() + 1)
                .idleConnectionTimeout(idle)
                .idleConnectionPeriod(Duration.ofMillis(Math.clamp(idle.toMillis() / 2, 1000, 60_000)))
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
        node.lastPort = node.server.port();
        LOG.log(System.Logger.Level.INFO, "At most {0} client connections; idle timeout {1} s, read timeout {2} s, "
                + "request timeout {3} s", String.valueOf(node.guard.cap()), settings.idleTimeoutSeconds(),
                settings.readTimeoutSeconds(), settings.requestTimeoutSeconds());
        try {
            node.cluster.start(node.server.port());
        } catch (RuntimeException e) {
            node.close(); // e.g. no cluster port free: stop listening rather than serve outside the cluster
            throw e;
        }
        node.watchdog.scheduleWithFixedDelay(node::watch, WATCHDOG_PERIOD.toMillis(), WATCHDOG_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        return node;
    }

    /** The port this node listens on (also while the watchdog is replacing a dead listener). */
    public int port() {
        int port = server.port();
        return port > 0 ? port : lastPort;
    }

    /** The web server now in front of the engine (a new one after the watchdog replaced a dead listener). */
    WebServer webServer() {
        return server;
    }

    /**
     * Once per {@link #WATCHDOG_PERIOD}: forget closed connections, and when the listening socket is found closed
     * (Helidon ends a listener for good after one failed accept, e.g. "Too many open files"), start a new server on
     * the same port. Connections the old server had stay with it; it is stopped with the node.
     */
    private void watch() {
        try {
            guard.prune();
            guard.closeOverdue(System.nanoTime());
            WebServer current = server;
            if (closed || (current.isRunning() && listening(current.port()))) {
                return;
            }
            int port = current.isRunning() ? current.port() : lastPort;
            LOG.log(System.Logger.Level.WARNING, "The listener on port {0} is closed; starting a new one",
                    String.valueOf(port));
            WebServer next = webServer(port);
            next.start();
            if (closed) {
                next.stop(); // the node was closed meanwhile
                return;
            }
            if (!next.isRunning()) {
                LOG.log(System.Logger.Level.WARNING, "Cannot listen on port {0} yet (out of file descriptors?); "
                        + "retrying in {1} ms", String.valueOf(port), WATCHDOG_PERIOD.toMillis());
                return;
            }
            retired.add(current);
            server = next;
            LOG.log(System.Logger.Level.INFO, "Listening again on port {0}", String.valueOf(next.port()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Listener check failed; retrying", e);
        }
    }

    /**
     * Whether something accepts on {@code port}: a refused loopback connect means the listening socket is gone. Any
     * other failure (no descriptor free for the probe, a timeout) is not proof, so it counts as listening.
     */
    private boolean listening(int port) {
        lastPort = port;
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(probeAddress, port), (int) WATCHDOG_PERIOD.toMillis());
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException unknown) {
            return true;
        }
    }

    /** Where the listener is checked: the address it is bound to, or loopback when it is bound to all of them. */
    private static InetAddress probeAddress(String host) {
        try {
            InetAddress bound = InetAddress.getByName(host);
            return bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    public CacheEngine engine() {
        return engine;
    }

    /** This node's cluster ({@link Cluster#standalone()} when it runs alone); for tests that look inside it. */
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        cluster.close(); // first: leave the view, no pushes from a node that is going away
        server.stop();
        retired.forEach(WebServer::stop);
        stopBackgroundWork();
    }

    private void stopBackgroundWork() {
        watchdog.shutdownNow();
        cluster.close();
        loadTester.close();
        sweeper.close();
        metrics.close();
        security.close();
        if (persistence != null) {
            persistenceMetrics.close();
            persistence.close(); // last: every write applied so far is logged and fsynced
        }
    }

    /** The node's persistence, or null when it is off. */
    Persistence persistence() {
        return persistence;
    }

    private void routing(HttpRouting.Builder routing, CacheGridSettings settings, ApiLimits limits) {
        ErrorResponses.register(routing);
        routing.addFilter(guard::filter); // first: timeouts and Connection: close apply to every route
        routing.addFilter(new HostHeaderCheck()); // HTTP/1.1's Host check, in place of Helidon's (application.yaml)
        security.install(routing); // before the cluster's filter: a request is checked where it arrives
        routing.addFilter(new MalformedPreconditions()); // one answer to a malformed If-Match on every route
        if (persistence != null && persistence.settings().mode().logs()) {
            routing.addFilter(new DurabilityFilter(persistence)); // a write is answered once its record is durable
        }
        cluster.install(routing); // without cluster settings: nothing
        // the hot routes first: routing tries them in this order. GET and PUT of a key are also top-level routes
        // (CacheService.keyRoutes), after the batch paths they must not shadow
        CacheService cache = new CacheService(engine, limits, cluster.replication());
        routing.register("/cache/batch", new BatchService(engine, limits));
        cache.keyRoutes(routing);
        routing.register("/cache", cache)
                .register("/tags", new TagService(engine, limits))
                .register("/", new StatusService(engine, settings.nodeId(), VERSION, settings.cluster().enabled(),
                        persistence == null ? () -> PersistenceStatus.OFF : persistence::status))
                .register("/admin", new AdminService(engine, limits))
                .register("/auth", security.roleService())
                .register("/test/load", new LoadTestService(loadTester, limits))
                .register("/docs", new DocsService())
                .get("/metrics", (req, res) -> res.reroute("/observe/metrics"))
                .get("/console", (req, res) -> res.reroute("/console/"));
    }

    /**
     * Liveness: deadlocks and disk space (helidon-health-checks registers them itself, found on the class path) and
     * the heap as the last collection left it (ours: Helidon's heap check counts garbage, see
     * {@link HeapAfterCollectionCheck}). Readiness: the engine answers, with its occupancy.
     */
    private static ObserveFeature observe(CacheEngine engine) {
        return ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addExcluded("heapMemory")
                        .addCheck(new HeapAfterCollectionCheck())
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
