package io.cachegrid.api;

import java.nio.charset.StandardCharsets;

import io.cachegrid.TestNode;
import io.cachegrid.TestNode.Reply;
import io.cachegrid.engine.CacheEngine;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /test/load} runs in the background and its result is readable afterwards. By default it runs on a
 * scratch engine, so user keys and user statistics are untouched; {@code target=live} measures the live engine.
 */
class LoadTestApiTest {

    private static final String[] COUNTERS = {"hits", "misses", "sets", "deletes", "evictions", "expired_items"};

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass();

    @Test
    void runsInTheBackgroundAndReportsPercentiles() throws InterruptedException {
        Reply started = node.post("/test/load?num_operations=5000&operation_type=mixed", "");
        assertEquals(202, started.status());
        assertEquals("scratch", started.json().getString("target"));
        String id = started.json().getString("id");
        JsonObject run = awaitCompletion(id);
        assertEquals("mixed", run.getString("operation_type"));
        assertEquals("scratch", run.getString("target"));
        JsonObject stats = node.get("/stats").json();
        JsonObject engine = run.getJsonObject("engine");
        assertEquals(stats.getString("eviction_policy"), engine.getString("eviction_policy"));
        assertEquals(stats.getJsonNumber("max_size").longValue(), engine.getJsonNumber("max_size").longValue());
        assertEquals(stats.getInt("max_memory_mb"), engine.getInt("max_memory_mb"));
        assertEquals(node.server().engine().segmentCount(), engine.getInt("segments"));
        assertEquals(5000, run.getInt("num_operations"));
        assertEquals(5000, run.getInt("completed_operations"));
        assertTrue(run.getJsonNumber("ops_per_second").doubleValue() > 0);
        JsonObject latency = run.getJsonObject("latency_ms");
        double p50 = latency.getJsonNumber("p50").doubleValue();
        double p95 = latency.getJsonNumber("p95").doubleValue();
        double p99 = latency.getJsonNumber("p99").doubleValue();
        assertTrue(p50 <= p95 && p95 <= p99, latency.toString());
        assertEquals(id, node.get("/test/load").json().getJsonArray("runs").getJsonObject(0).getString("id"));
    }

    /** The report: ten get runs on a cache of 5,000 user keys left 215 of them. */
    @Test
    void tenRunsLeaveUserKeysValuesAndStatisticsAlone() throws InterruptedException {
        int users = 5000;
        for (int from = 0; from < users; from += 1000) {
            StringBuilder items = new StringBuilder("{\"items\":{");
            for (int i = from; i < from + 1000; i++) {
                items.append(i == from ? "" : ",").append("\"user:").append(i).append("\":{\"n\":").append(i)
                        .append('}');
            }
            assertEquals(200, node.post("/cache/batch/set", items.append("}}").toString()).status());
        }
        node.get("/cache/user:1");
        node.get("/cache/absent");
        JsonObject before = node.get("/stats").json();
        String metricsBefore = cacheMeters(node.get("/metrics").body());

        for (int i = 0; i < 10; i++) {
            Reply started = node.post("/test/load?num_operations=1000&operation_type=" + (i < 5 ? "get" : "mixed"),
                    "");
            assertEquals(202, started.status(), started.body());
            awaitCompletion(started.json().getString("id"));
        }

        CacheEngine engine = node.server().engine();
        for (int i = 0; i < users; i++) {
            byte[] value = engine.peek("user:" + i); // peek: no hit counted
            assertNotNull(value, "user:" + i + " was evicted by a load test");
            assertEquals("{\"n\":" + i + "}", new String(value, StandardCharsets.UTF_8));
        }
        assertEquals(0, engine.keys("loadtest:", 10).totalFound(), "no load-test key in the live cache");
        JsonObject after = node.get("/stats").json();
        for (String counter : COUNTERS) {
            assertEquals(before.getJsonNumber(counter).longValue(), after.getJsonNumber(counter).longValue(), counter);
        }
        assertEquals(before.getJsonNumber("hit_ratio").doubleValue(), after.getJsonNumber("hit_ratio").doubleValue());
        assertEquals(before.getJsonNumber("current_size").longValue(), after.getJsonNumber("current_size").longValue());
        assertEquals(metricsBefore, cacheMeters(node.get("/metrics").body()));
        node.delete("/cache?confirm=true");
    }

    @Test
    void theLiveOptInMeasuresTheLiveEngine() throws InterruptedException {
        JsonObject before = node.get("/stats").json();
        Reply started = node.post("/test/load?num_operations=2000&operation_type=mixed&target=live", "");
        assertEquals(202, started.status(), started.body());
        assertEquals("live", started.json().getString("target"));
        JsonObject run = awaitCompletion(started.json().getString("id"));
        assertEquals("live", run.getString("target"));
        JsonObject after = node.get("/stats").json();
        assertTrue(after.getJsonNumber("sets").longValue() > before.getJsonNumber("sets").longValue(), "sets");
        assertTrue(after.getJsonNumber("hits").longValue() > before.getJsonNumber("hits").longValue(), "hits");
        node.delete("/cache?confirm=true");
    }

    @Test
    void anUnknownTargetIs400AndStartsNothing() {
        int runs = node.get("/test/load").json().getJsonArray("runs").size();
        for (String target : new String[] {"production", "", "scratch,live"}) {
            JsonObject error = node.post("/test/load?target=" + target, "").error(400);
            assertEquals("invalid target", error.getString("error"));
        }
        assertEquals(runs, node.get("/test/load").json().getJsonArray("runs").size());
    }

    @Test
    void unknownRunIs404() {
        node.get("/test/load/nope").error(404);
    }

    /** The cachegrid_* lines of the Prometheus text, the live engine's meters. */
    private static String cacheMeters(String prometheus) {
        return prometheus.lines().filter(l -> l.startsWith("cachegrid_")).sorted()
                .reduce("", (a, b) -> a + b + "\n");
    }

    static JsonObject awaitCompletion(String id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonObject run = node.get("/test/load/" + id).json();
            if (!"running".equals(run.getString("status"))) {
                assertEquals("completed", run.getString("status"), run.toString());
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("load test " + id + " did not finish in 10 s");
    }
}
