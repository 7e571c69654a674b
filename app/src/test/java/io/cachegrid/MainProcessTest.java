package io.cachegrid;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Main} as an operator runs it: a separate JVM configured only through environment variables. */
class MainProcessTest {

    private static ProcessBuilder main() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    @Test
    void badValueStopsTheStartWithOneLineNamingTheVariable() throws Exception {
        ProcessBuilder builder = main();
        builder.environment().put("CACHEGRID_PORT", "abc");
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue());
        List<String> lines = stderr.lines().filter(l -> l.contains("CACHEGRID_PORT")).toList();
        assertEquals(1, lines.size(), stderr);
        assertTrue(lines.getFirst().contains("abc") && lines.getFirst().contains("0..65535"), stderr);
    }

    @Test
    void startsOnThePortTheSystemChoosesAndWritesItToThePortFile(@TempDir Path dir) throws Exception {
        Path portFile = dir.resolve("port");
        ProcessBuilder builder = main().redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
        builder.environment().put("CACHEGRID_PORT", "0");
        builder.environment().put("CACHEGRID_PORT_FILE", portFile.toString());
        builder.environment().put("CACHEGRID_NODE_ID", "proc-node");
        Process process = builder.start();
        try {
            int port = awaitPortFile(process, portFile);
            assertTrue(port > 0, "port " + port);
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"node_id\":\"proc-node\""), health.body());
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void portInUseStopsTheStartWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProcessBuilder builder = main();
            builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
            builder.environment().put("CACHEGRID_PORT", String.valueOf(taken.getLocalPort()));
            Process process = builder.start();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running on a port in use");
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, process.exitValue());
            assertEquals("", stdout);
            List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), stderr);
            assertTrue(lines.getFirst().startsWith("CacheGrid cannot start: ")
                    && lines.getFirst().contains(String.valueOf(taken.getLocalPort())), stderr);
        }
    }

    /** The port the node wrote to its port file, once it has (the file appears only when the node listens). */
    static int awaitPortFile(Process process, Path portFile) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                return Integer.parseInt(Files.readString(portFile).trim());
            }
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + " before writing its port");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no port file within 40 s");
    }
}
