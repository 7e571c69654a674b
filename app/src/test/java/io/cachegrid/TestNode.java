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
import java.util.List;
import java.util.Map;

import io.cachegrid.config.CacheGridSettings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real CacheGrid node on loopback, started the way {@link Main} starts one, and a plain HTTP client to talk to it.
 * Tests pass {@code CACHEGRID_*} variables exactly as an operator would. The node binds port 0 and reads back the
 * port the OS gave it, so no other process can take the port between choosing and binding it.
 * <p>
 * As a JUnit extension it replaces the start/stop block of a test class and checks the engine's invariants after
 * every test, as the engine tests do:
 * <pre>{@code @RegisterExtension static final TestNode node = TestNode.forEachClass(Map.of(...));}</pre>
 * Helidon's {@code @ServerTest} is not used: it builds its own server from a routing, while these tests need the
 * production composition ({@link CacheGridServer}: engine, features, cluster) and its engine.
 */
public final class TestNode implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private volatile CacheGridServer server;

    private TestNode(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Starts a node with the defaults and these variables on 127.0.0.1, port chosen by the OS. */
    public static TestNode start(Map<String, String> env) {
        return start(0, env);
    }

    /**
     * Starts a node on a given 127.0.0.1 port; 0 lets the OS choose. Only cluster tests pass another port, see
     * {@code LocalCluster}.
     */
    public static TestNode start(int port, Map<String, String> env) {
        TestNode node = new TestNode(env);
        node.startOn(port);
        return node;
    }

    public static TestNode start() {
        return start(Map.of());
    }

    /** A node that a test class registers as an extension: started before its tests, stopped after them. */
    public static TestNode forEachClass(Map<String, String> env) {
        return new TestNode(env);
    }

    public static TestNode forEachClass() {
        return forEachClass(Map.of());
    }

    private void startOn(int port) {
        Map<String, String> all = new HashMap<>(env);
        all.put("CACHEGRID_HOST", "127.0.0.1");
        all.put("CACHEGRID_PORT", String.valueOf(port));
        all.putIfAbsent("CACHEGRID_LOG_LEVEL", "warning");
        CacheGridSettings settings = CacheGridSettings.resolve(Main.defaults(), all, Map.of());
        server = CacheGridServer.start(settings, Main.defaults().get("server"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startOn(0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        checkInvariants();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The engine's own consistency check ({@code CacheEngine.checkInvariants}); throws when it finds a fault. */
    public void checkInvariants() {
        server.engine().checkInvariants();
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
                    response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Checks the engine's invariants one last time, then stops the node. */
    @Override
    public void close() {
        CacheGridServer running = server;
        if (running == null) {
            return;
        }
        server = null;
        try {
            running.engine().checkInvariants();
        } finally {
            running.close();
        }
    }

    /** A response: status, content type, body and headers, with the body readable as a JSON object. */
    public record Reply(int status, String contentType, String body, Map<String, List<String>> headers) {

        public Reply(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        /** The first value of a header (names compared without case), or null. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                    return header.getValue().getFirst();
                }
            }
            return null;
        }

        /** The ETag header, or null. */
        public String etag() {
            return header("ETag");
        }

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
