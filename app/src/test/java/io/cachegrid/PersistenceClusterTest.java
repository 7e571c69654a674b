package io.cachegrid;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 in a cluster: three members with persistence (fsync always, R=2), every one killed with SIGKILL at once
 * (a full outage), started again on the same data directories: every acknowledged key is back with its value,
 * through any member, and every acknowledged delete stays deleted.
 */
class PersistenceClusterTest {

    private static final int KEYS = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Test
    void allThreeKilledAndRestartedKeepEveryAcknowledgedKey(@TempDir Path dir) throws Exception {
        List<PortReservation> ports = List.of(new PortReservation(), new PortReservation(), new PortReservation());
        String peers = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p.port()).toList());
        List<Map<String, String>> envs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            envs.add(Map.of("CACHEGRID_PEERS", peers, "CACHEGRID_NODE_ID", "p" + i,
                    "CACHEGRID_REPLICATION_FACTOR", "2", "CACHEGRID_MEMBERSHIP_INTERVAL", "0.5",
                    "CACHEGRID_PERSISTENCE", "both", "CACHEGRID_FSYNC", "always",
                    "CACHEGRID_DATA_DIR", dir.resolve("node" + i).toString(), "CACHEGRID_SNAPSHOT_INTERVAL", "1",
                    "CACHEGRID_MAX_MEMORY_MB", "64"));
        }
        Map<String, String> expected = new HashMap<>();
        List<ChildNode> nodes = startAll(envs, ports);
        try {
            awaitMembers(nodes);
            for (int k = 0; k < KEYS; k++) {
                String value = "{\"k\":" + k + ",\"text\":\"value " + k + "\"}";
                HttpResponse<byte[]> answer = nodes.get(k % 3).put("/cache/key-" + k,
                        value.getBytes(StandardCharsets.UTF_8));
                assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
                expected.put("key-" + k, value);
            }
            for (int k = 0; k < KEYS; k += 4) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(nodes.get(k % 3).uri("/cache/key-" + k))
                        .timeout(TIMEOUT).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                expected.put("key-" + k, null);
            }
        } finally {
            for (ChildNode node : nodes) {
                node.kill();
            }
        }
        nodes = startAll(envs, ports);
        try {
            awaitMembers(nodes);
            for (int k = 0; k < KEYS; k++) {
                String key = "key-" + k;
                String body = new String(nodes.get((k + 1) % 3).get("/cache/" + key).body(), StandardCharsets.UTF_8);
                String want = expected.get(key);
                if (want == null) {
                    assertTrue(body.contains("\"exists\":false"), key + ": " + body);
                } else {
                    assertTrue(body.contains("\"value\":" + want + ",\"exists\":true"), key + ": " + body);
                }
            }
        } finally {
            nodes.forEach(ChildNode::close);
            ports.forEach(PortReservation::close);
        }
    }

    private static List<ChildNode> startAll(List<Map<String, String>> envs, List<PortReservation> ports)
            throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(3);
        try {
            List<Future<ChildNode>> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int index = i;
                Callable<ChildNode> start = () -> ChildNode.start("192m", envs.get(index), ports.get(index).port());
                started.add(starter.submit(start));
            }
            List<ChildNode> nodes = new ArrayList<>();
            for (Future<ChildNode> node : started) {
                nodes.add(node.get());
            }
            return nodes;
        } finally {
            starter.shutdown();
        }
    }

    /** Waits (up to 30 s) until every member sees the three up. */
    private static void awaitMembers(List<ChildNode> nodes) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (ChildNode node : nodes) {
            while (true) {
                String view = new String(node.get("/cluster").body(), StandardCharsets.UTF_8);
                int up = view.split("\"status\":\"up\"", -1).length - 1;
                if (up == 3) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "members not all up: " + view);
                Thread.sleep(100);
            }
        }
    }
}
