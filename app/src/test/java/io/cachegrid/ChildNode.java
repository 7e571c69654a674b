package io.cachegrid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CacheGrid node in a JVM of its own, for tests where the heap size matters: started like {@link Main} is in
 * production ({@code java -Xmx... io.cachegrid.Main} with {@code CACHEGRID_*} variables), on 127.0.0.1 and a port the
 * OS picks ({@code CACHEGRID_PORT=0}). The port is read from the start line the node logs. Every line the node
 * prints is kept, so a test can check that no {@code OutOfMemoryError} was ever logged.
 */
final class ChildNode implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ChildNode(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-node-log").start(this::pump);
    }

    /** Starts {@code java -Xmx<heap> io.cachegrid.Main} with these variables (host and port are set here). */
    static ChildNode start(String maxHeap, Map<String, String> env) throws Exception {
        return start(maxHeap, env, 0);
    }

    /** As above on a given port (0: one the OS picks), for members whose peers must know it in advance. */
    static ChildNode start(String maxHeap, Map<String, String> env, int listenPort) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx" + maxHeap, "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
        builder.environment().put("CACHEGRID_PORT", String.valueOf(listenPort));
        builder.environment().put("CACHEGRID_LOG_LEVEL", "info");
        ChildNode node = new ChildNode(builder.start());
        try {
            node.port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            node.close();
            throw new IllegalStateException("the node did not start: " + node.log(), e);
        }
        return node;
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                log.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        port.completeExceptionally(new IllegalStateException("the node exited"));
    }

    int port() {
        return port.join();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Everything the node printed so far. */
    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> put(String path, byte[] json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String path, byte[] json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Kills the node with SIGKILL (no shutdown hook runs, nothing is flushed) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the node did not die within 30 s of SIGKILL");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
