package io.cachegrid.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A cluster member that passes its health checks but never answers anything else, as a member does whose request
 * threads are stuck (or, seen from a peer's read timeout, one frozen by SIGSTOP after its health check): peers keep it
 * in the view and owners wait on it. Binds port 0 on 127.0.0.1. {@link #leaveView()} makes its health checks fail,
 * so the members drop it from their views.
 */
final class StalledMember implements AutoCloseable {

    /** How long a stalled request is held at most, so a forgotten one cannot keep a thread forever. */
    private static final long HOLD_SECONDS = 60;

    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean healthy = true;

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

    /** Requests other than health checks that reached it (each is held unanswered). */
    int held() {
        return held.get();
    }

    /** From now on its health checks fail: the members take it out of their views. */
    void leaveView() {
        healthy = false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().equals("/health")) {
            byte[] body = "{\"status\":\"healthy\"}".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(healthy ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
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
        released.countDown();
        server.stop(0);
    }
}
