package io.cachegrid.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A tiny HTTP server on 127.0.0.1 that answers every request with one fixed status and JSON body (and optional
 * headers) and records what it was asked (request line, Authorization and conditional headers, body), to count
 * attempts and inspect what the client sends.
 */
final class FakeServer implements AutoCloseable {
    record Received(String method, String rawPath, String rawQuery, String authorization, String body,
                    String ifMatch, String ifNoneMatch) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    FakeServer(int status, String jsonBody) throws IOException {
        this(status, jsonBody, Map.of());
    }

    /** Also sends these headers (an ETag, say) with every answer. */
    FakeServer(int status, String jsonBody, Map<String, String> headers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] answer = jsonBody.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        exchange.getRequestHeaders().getFirst("If-Match"),
                        exchange.getRequestHeaders().getFirst("If-None-Match")));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                headers.forEach(exchange.getResponseHeaders()::add);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
