package io.cachegrid.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A CacheGrid server started as a child process on a free loopback port, from the app module's jar (system property
 * {@code cachegrid.server.jar}, set by the pom; default {@code ../app/target/cachegrid.jar}). It runs on the JVM that
 * runs the tests, so it gets Java 21+ even where the default {@code java} is older.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final int port;
    private final Process process;

    private ServerProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static ServerProcess start() {
        Path jar = Path.of(System.getProperty("cachegrid.server.jar", "../app/target/cachegrid.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("server jar " + jar.toAbsolutePath()
                    + " is missing: build the app module first (mvn -DskipTests package at the repository root)");
        }
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString()));
        builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
        builder.environment().put("CACHEGRID_PORT", Integer.toString(port));
        builder.environment().put("CACHEGRID_NODE_ID", "client-test-" + port);
        builder.redirectErrorStream(true).redirectOutput(Path.of("target", "server-" + port + ".log").toFile());
        try {
            ServerProcess server = new ServerProcess(port, builder.start());
            server.awaitHealthy();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + jar, e);
        }
    }

    /** A port on 127.0.0.1 that was free a moment ago (nothing listens on it). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Kills the server at once, as a crash would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void awaitHealthy() {
        URI health = URI.create("http://" + address() + "/health");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + ", see target/server-"
                            + port + ".log");
                }
                if (answers200(http, health)) {
                    return;
                }
                Thread.sleep(POLL_INTERVAL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        throw new IllegalStateException("server on port " + port + " not healthy within " + START_TIMEOUT);
    }

    private static boolean answers200(HttpClient http, URI health) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
