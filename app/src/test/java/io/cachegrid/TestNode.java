package io.cachegrid;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.cachegrid.config.CacheGridSettings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * A real CacheGrid node on a free loopback port, and a plain HTTP client to talk to it. Tests pass
 * {@code CACHEGRID_*} variables exactly as an operator would.
 */
public final class TestNode implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CacheGridServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private TestNode(CacheGridServer server) {
        this.server = server;
    }

    /** Starts a node with the defaults and these variables on 127.0.0.1, port chosen by the OS. */
    public static TestNode start(Map<String, String> env) {
        return start(0, env);
    }

    /** Starts a node on a given 127.0.0.1 port (cluster members must know each other's ports before they start). */
    public static TestNode start(int port, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("CACHEGRID_HOST", "127.0.0.1");
        all.put("CACHEGRID_PORT", String.valueOf(port));
        all.putIfAbsent("CACHEGRID_LOG_LEVEL", "warning");
        CacheGridSettings settings = CacheGridSettings.resolve(Main.defaults(), all, Map.of());
        return new TestNode(CacheGridServer.start(settings, Main.defaults().get("server")));
    }

    public static TestNode start() {
        return start(Map.of());
    }

    public int port() {
        return server.port();
    }

    public CacheGridServer server() {
        return server;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public Reply put(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** A response: status, content type and body, with the body readable as a JSON object. */
    public record Reply(int status, String contentType, String body) {

        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        /** Asserts the error shape every refusal must have and returns the body. */
        public JsonObject error(int expectedStatus) {
            if (status != expectedStatus) {
                throw new AssertionError("expected " + expectedStatus + " but got " + status + ": " + body);
            }
            JsonObject json = json();
            if (!json.containsKey("error") || !json.containsKey("detail")) {
                throw new AssertionError("error body lacks error/detail: " + body);
            }
            return json;
        }
    }
}
