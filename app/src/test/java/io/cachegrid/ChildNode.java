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
 * <p>
 * The fault tests ({@code io.cachegrid.fault}) start cluster members on ports reserved up front (every member's
 * {@code CACHEGRID_PEERS} lists them all) and need the process id to stop, continue and kill it.
 */
public final class ChildNode implements AutoCloseable {

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
        return start(List.of("-Xmx" + maxHeap, "-XX:+UseG1GC"), listenPort, env);
    }

    /**
     * Starts {@code java <jvmOptions> io.cachegrid.Main} on 127.0.0.1 and this port (0: the OS picks one), with these
     * variables, and waits until it listens.
     */
    public static ChildNode start(List<String> jvmOptions, int port, Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
        builder.environment().put("CACHEGRID_PORT", String.valueOf(port));
        builder.environment().put("CACHEGRID_LOG_LEVEL", "info"); // the start line is logged at info
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

    public int port() {
        return port.join();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The operating system's id of the node's process (for signals such as {@code kill -STOP}). */
    public long pid() {
        return process.pid();
    }

    /** Ends the process at once, as {@code kill -9} does (a stopped process too), and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything the node printed so far. */
    public String log() {
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

    /** Stops the node the way an operator does (SIGTERM: it shuts down in order), killing it if that takes 10 s. */
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
