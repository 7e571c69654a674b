package io.cachegrid;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

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
    void startsFromEnvironmentAndServesHealth() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = main().redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("CACHEGRID_HOST", "127.0.0.1");
        builder.environment().put("CACHEGRID_PORT", String.valueOf(port));
        builder.environment().put("CACHEGRID_NODE_ID", "proc-node");
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = null;
            for (int i = 0; i < 100 && health == null; i++) {
                try {
                    health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertTrue(health != null, "server did not answer within 10 s");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"node_id\":\"proc-node\""), health.body());
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
