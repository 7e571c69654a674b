package io.cachegrid.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CacheGrid server started as a child process on a loopback port the OS chooses ({@code CACHEGRID_PORT=0}; the
 * server writes the port it got to {@code CACHEGRID_PORT_FILE}), from the app module's jar (system property
 * {@code cachegrid.server.jar}, set by the pom; default {@code ../app/target/cachegrid.jar}). It runs on the JVM that
 * runs the tests, so it gets Java 21+ even where the default {@code java} is older.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final int port;
    private final Process process;

    private ServerProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static ServerProcess start() {
        return start(Map.of());
    }

    /**
     * A server with these extra variables. With TLS on it speaks only HTTPS, so it is ready once it has written
     * its port (it listens then); otherwise once {@code /health} answers 200.
     */
    static ServerProcess start(Map<String, String> extraEnv) {
        Path jar = Path.of(System.getProperty("cachegrid.server.jar", "../app/target/cachegrid.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("server jar " + jar.toAbsolutePath()
                    + " is missing: build the app module first (mvn -DskipTests package at the repository root)");
        }
        String name = "server-" + ProcessHandle.current().pid() + "-" + STARTED.incrementAndGet();
        Path portFile = Path.of("target", name + ".port").toAbsolutePath();
        Path log = Path.of("target", name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString()));
        builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
        builder.environment().put("CACHEGRID_PORT", "0");
        builder.environment().put("CACHEGRID_PORT_FILE", portFile.toString());
        builder.environment().put("CACHEGRID_NODE_ID", "client-test-" + name);
        builder.environment().putAll(extraEnv);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process;
        try {
            Files.deleteIfExists(portFile);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + jar, e);
        }
        ServerProcess server = new ServerProcess(awaitPort(process, portFile, log), process);
        boolean tls = extraEnv.keySet().stream().anyMatch(variable -> variable.startsWith("CACHEGRID_TLS_"));
        if (!tls) {
            server.awaitHealthy();
        }
        return server;
    }

    /** The port the server wrote to its port file, which it does once it listens. */
    private static int awaitPort(Process process, Path portFile, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (Files.exists(portFile)) {
                    return Integer.parseInt(Files.readString(portFile).trim());
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + ", see " + log);
                }
                Thread.sleep(POLL_INTERVAL);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new IllegalStateException("server did not listen within " + START_TIMEOUT + ", see " + log);
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
                    throw new IllegalStateException("server on port " + port + " exited with "
                            + process.exitValue());
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
