package io.cachegrid.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cachegrid.Main;
import io.cachegrid.config.CacheGridSettings;

/**
 * A cluster member that is in the JGroups view but never answers an HTTP request, as a member does whose request
 * threads are stuck (or, seen from a peer's read timeout, one frozen by SIGSTOP whose failure is not detected yet):
 * peers keep it on their rings and owners wait on it. It is no cache node: an HTTP server on 127.0.0.1, port 0, that
 * holds every request unanswered, and the production {@link Membership} carrying that HTTP address in its JGroups
 * address ({@link #join}). {@link #leaveView()} closes its channel, so the members install a view without it.
 */
final class StalledMember implements AutoCloseable {

    /** How long a stalled request is held at most, so a forgotten one cannot keep a thread forever. */
    private static final long HOLD_SECONDS = 60;

    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private volatile Membership membership;

    StalledMember() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Joins the cluster as the real members do: the cluster settings are resolved from the same variables
     * ({@code CACHEGRID_PEERS} must list this member's {@link #address()}, so discovery finds it), and its JGroups
     * port is derived from its HTTP port. Returns once its channel is connected.
     */
    void join(Map<String, String> env) {
        int port = server.getAddress().getPort();
        Map<String, String> all = new HashMap<>(env);
        all.put("CACHEGRID_HOST", "127.0.0.1");
        all.put("CACHEGRID_PORT", String.valueOf(port));
        CacheGridSettings settings = CacheGridSettings.resolve(Main.defaults(), all, Map.of());
        ClusterSettings cluster = settings.cluster();
        Membership m = new Membership(SelfAddress.resolve(cluster, settings.host(), port), cluster,
                settings.nodeId(), settings.host(), port, (view, liveChanged) -> { });
        membership = m;
        m.start();
    }

    /** Requests that reached it (each is held unanswered). */
    int held() {
        return held.get();
    }

    /** Closes its JGroups channel: the members install a view without it. Its HTTP server keeps holding requests. */
    void leaveView() {
        Membership m = membership;
        if (m != null) {
            m.close();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        held.incrementAndGet();
        try {
            released.await(HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    @Override
    public void close() {
        leaveView();
        released.countDown();
        server.stop(0);
    }
}
