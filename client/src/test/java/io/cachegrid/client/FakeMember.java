package io.cachegrid.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in cluster member on 127.0.0.1: {@code GET /cluster} answers the ring JSON the test sets, every other
 * request a generic success; every answer names the current view in {@code X-CacheGrid-View}. Records each request
 * (method, decoded path, body) so a test can see which member a key went to.
 */
final class FakeMember implements AutoCloseable {
    record Request(String method, String path, String body) {
    }

    private final HttpServer server;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> cluster = new AtomicReference<>("{}");
    private volatile long viewId;

    FakeMember() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
                received.add(new Request(exchange.getRequestMethod(), path,
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                byte[] answer = (path.equals("/cluster") ? cluster.get()
                        : "{\"success\":true,\"exists\":false,\"deleted\":true,\"results\":{},\"items_set\":1}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("X-CacheGrid-View", Long.toString(viewId));
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    /** From now on this member reports this view: these members up, R copies, 512 points per member. */
    void view(long id, int replicationFactor, List<FakeMember> up) {
        StringBuilder members = new StringBuilder();
        for (FakeMember member : up) {
            members.append(members.isEmpty() ? "" : ",")
                    .append("{\"address\":\"").append(member.address()).append("\",\"status\":\"up\"}");
        }
        cluster.set("{\"view_id\":" + id + ",\"replication_factor\":" + replicationFactor
                + ",\"ring_vnodes\":512,\"members\":[" + members + "]}");
        viewId = id;
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> received() {
        return received;
    }

    /** The paths of the requests with this method. */
    List<String> paths(String method) {
        return received.stream().filter(r -> r.method().equals(method)).map(Request::path).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
