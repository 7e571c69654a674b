package io.cachegrid.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cachegrid.TestNode;
import io.cachegrid.TestNode.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed README's single-key and batch routes over real HTTP, with the exact JSON fields it documents. */
class CacheApiTest {

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass();

    @BeforeEach
    void empty() {
        assertEquals(200, node.delete("/cache?confirm=true").status());
    }

    @Test
    void putThenGetReturnsTheExactJsonText() {
        String value = "{\"name\": \"Alice\",   \"age\": 30, \"tags\": [1.50, 2e3, null]}";
        JsonObject put = node.put("/cache/user:123", value).json();
        assertTrue(put.getBoolean("success"));
        assertEquals("user:123", put.getString("key"));
        assertTrue(put.isNull("ttl"));
        assertTrue(put.getJsonNumber("timestamp").doubleValue() > 1.7e9);

        Reply get = node.get("/cache/user:123");
        assertEquals(200, get.status());
        assertTrue(get.contentType().startsWith("application/json"));
        assertEquals("{\"key\":\"user:123\",\"value\":" + value + ",\"exists\":true,\"hit\":true}", get.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Hello CacheGrid!\"", "42", "-0.5e-3", "true", "false", "null", "[]", "{}",
            "\"日本語 ✓ emoji 😀 \\u00e9 \\\"quoted\\\"\"", "[{\"a\": {\"b\": [\"c\"]}}]"})
    void anyJsonValueRoundTrips(String value) {
        assertEquals(200, node.put("/cache/v", value).status());
        assertEquals("{\"key\":\"v\",\"value\":" + value + ",\"exists\":true,\"hit\":true}", node.get("/cache/v").body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b c?d", "100%", "x#y", "plus+sign", "ключ", "🔑/🗝", "  spaces  ", "a&b=c", "a.b..c"})
    void anyKeyWorksPercentEncoded(String key) {
        String path = "/cache/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        JsonObject put = node.put(path, "\"v\"").json();
        assertEquals(key, put.getString("key"));
        JsonObject get = node.get(path).json();
        assertEquals(key, get.getString("key"));
        assertEquals("v", get.getString("value"));
        assertEquals(key, node.get("/admin/keys?limit=1000").json().getJsonArray("keys").getString(0));
        assertTrue(node.delete(path).json().getBoolean("deleted"));
    }

    @Test
    void keyOfMaximumLengthInCodePointsIsAccepted() {
        String key = "😀".repeat(250);
        assertEquals(200, node.put("/cache/" + URLEncoder.encode(key, StandardCharsets.UTF_8), "1").status());
        assertEquals(400, node.put("/cache/" + URLEncoder.encode(key + "x", StandardCharsets.UTF_8), "1").status());
    }

    @Test
    void missIsA200WithNullValue() {
        Reply miss = node.get("/cache/nothing-here");
        assertEquals(200, miss.status());
        assertEquals("{\"key\":\"nothing-here\",\"value\":null,\"exists\":false,\"hit\":false}", miss.body());
    }

    @Test
    void deleteReportsWhetherAKeyWasRemoved() {
        node.put("/cache/gone", "1");
        JsonObject first = node.delete("/cache/gone").json();
        assertTrue(first.getBoolean("success"));
        assertTrue(first.getBoolean("deleted"));
        assertEquals("gone", first.getString("key"));
        assertFalse(node.delete("/cache/gone").json().getBoolean("deleted"));
        assertFalse(node.get("/cache/gone").json().getBoolean("exists"));
    }

    @Test
    void postCacheStoresKeyValueAndTtl() {
        JsonObject set = node.post("/cache", "{\"key\": \"p\", \"value\": {\"x\": [1, 2]}, \"ttl\": 1.5}").json();
        assertTrue(set.getBoolean("success"));
        assertEquals(1.5, set.getJsonNumber("ttl").doubleValue());
        assertEquals("{\"key\":\"p\",\"value\":{\"x\": [1, 2]},\"exists\":true,\"hit\":true}", node.get("/cache/p").body());
        double ttlLeft = node.get("/admin/entry/p").json().getJsonNumber("ttl_remaining_seconds").doubleValue();
        assertTrue(ttlLeft > 0 && ttlLeft <= 1.5, "ttl left " + ttlLeft);
    }

    @Test
    void ttlQueryIsEchoedAndExpiresTheKey() throws InterruptedException {
        assertEquals(3600, node.put("/cache/session:abc?ttl=3600", "{\"token\": \"xyz\"}").json().getInt("ttl"));
        assertEquals(0.2, node.put("/cache/short?ttl=0.2", "1").json().getJsonNumber("ttl").doubleValue());
        Thread.sleep(400);
        assertFalse(node.get("/cache/short").json().getBoolean("exists"));
        assertTrue(node.get("/cache/session:abc").json().getBoolean("exists"));
        assertEquals(1, node.get("/stats").json().getInt("expired_items"));
    }

    @Test
    void clearNeedsConfirmationAndCountsItems() {
        node.put("/cache/a", "1");
        node.put("/cache/b", "2");
        node.delete("/cache").error(400);
        assertEquals(2, node.get("/stats").json().getInt("current_size"));
        JsonObject cleared = node.delete("/cache?confirm=true").json();
        assertTrue(cleared.getBoolean("success"));
        assertEquals(2, cleared.getInt("items_removed"));
        assertEquals(0, node.get("/stats").json().getInt("current_size"));
    }

    @Test
    void batchSetThenBatchGet() {
        JsonObject set = node.post("/cache/batch/set", """
                {"items": {"user:123": {"name": "Alice"}, "user:456": {"name": "Bob"}}, "ttl": 3600}""").json();
        assertTrue(set.getBoolean("success"));
        assertEquals(2, set.getInt("items_requested"));
        assertEquals(2, set.getInt("items_set"));
        assertEquals(3600, set.getInt("ttl"));

        JsonObject get = node.post("/cache/batch/get", "{\"keys\": [\"user:123\", \"user:456\", \"nobody\"]}").json();
        assertTrue(get.getBoolean("success"));
        assertEquals(3, get.getInt("requested_keys"));
        assertEquals(2, get.getInt("found_keys"));
        JsonObject results = get.getJsonObject("results");
        assertEquals("Alice", results.getJsonObject("user:123").getJsonObject("value").getString("name"));
        assertTrue(results.getJsonObject("user:456").getBoolean("exists"));
        assertTrue(results.getJsonObject("user:456").getBoolean("hit"));
        assertTrue(results.getJsonObject("nobody").isNull("value"));
        assertFalse(results.getJsonObject("nobody").getBoolean("exists"));
    }

    @Test
    void batchValuesKeepTheirExactText() {
        node.post("/cache/batch/set", "{\"items\": {\"k\": {\"b\" :  [1.0, 2E5]}}}");
        assertEquals("{\"key\":\"k\",\"value\":{\"b\" :  [1.0, 2E5]},\"exists\":true,\"hit\":true}",
                node.get("/cache/k").body());
        assertTrue(node.post("/cache/batch/get", "{\"keys\": [\"k\"]}").body()
                .contains("{\"value\":{\"b\" :  [1.0, 2E5]},\"exists\":true,\"hit\":true}"));
    }

    @Test
    void statsCountEveryOperationAndMatchHealth() {
        long hits0 = node.get("/stats").json().getJsonNumber("hits").longValue();
        long misses0 = node.get("/stats").json().getJsonNumber("misses").longValue();
        node.put("/cache/s1", "1");
        node.post("/cache/batch/set", "{\"items\": {\"s2\": 2, \"s3\": 3}}");
        node.get("/cache/s1");
        node.get("/cache/absent");
        node.post("/cache/batch/get", "{\"keys\": [\"s2\", \"s3\", \"absent\", \"s2\"]}");
        JsonObject stats = node.get("/stats").json();
        long hits = stats.getJsonNumber("hits").longValue() - hits0;
        long misses = stats.getJsonNumber("misses").longValue() - misses0;
        assertEquals(4, hits);
        assertEquals(2, misses);
        assertEquals(3, stats.getInt("current_size"));
        for (String field : new String[] {"hits", "misses", "sets", "deletes", "evictions", "expired_items",
                "current_size", "max_size", "memory_usage_bytes", "memory_usage_mb", "max_memory_mb", "hit_ratio",
                "uptime_seconds", "eviction_policy", "node_id", "compression_threshold_bytes", "compression_ratio",
                "compressed_values", "incompressible_values", "compression_original_bytes",
                "compression_stored_bytes"}) {
            assertTrue(stats.containsKey(field), field);
        }
        assertEquals(0, stats.getInt("compression_threshold_bytes"), "compression is off by default");
        assertEquals(0, stats.getInt("compressed_values"));
        assertEquals(1.0, stats.getJsonNumber("compression_ratio").doubleValue());
        double expectedRatio = (double) stats.getJsonNumber("hits").longValue()
                / (stats.getJsonNumber("hits").longValue() + stats.getJsonNumber("misses").longValue());
        assertEquals(expectedRatio, stats.getJsonNumber("hit_ratio").doubleValue(), 1e-4);
        assertTrue(stats.getJsonNumber("memory_usage_bytes").longValue() > 0);

        JsonObject health = node.get("/health").json();
        assertEquals("healthy", health.getString("status"));
        assertEquals(stats.getInt("current_size"), health.getInt("cache_size"));
        assertEquals(stats.getJsonNumber("hit_ratio").doubleValue(), health.getJsonNumber("hit_ratio").doubleValue());
        assertEquals(stats.getJsonNumber("memory_usage_mb").doubleValue(),
                health.getJsonNumber("memory_usage_mb").doubleValue());
        assertTrue(health.getJsonNumber("last_check").doubleValue() > 1.7e9);
        assertEquals("node-1", health.getString("node_id"));
    }

    @Test
    void adminKeysFiltersBySubstringWithLimitAndTotal() {
        for (int i = 0; i < 15; i++) {
            node.put("/cache/user:" + i, "1");
        }
        node.put("/cache/order:1", "1");
        JsonObject page = node.get("/admin/keys?pattern=user:&limit=10").json();
        assertEquals(10, page.getJsonArray("keys").size());
        assertEquals(15, page.getInt("total_found"));
        assertEquals(10, page.getInt("returned"));
        assertEquals("user:", page.getString("pattern"));
        page.getJsonArray("keys").getValuesAs(jakarta.json.JsonString.class)
                .forEach(k -> assertTrue(k.getString().startsWith("user:")));
        assertEquals(16, node.get("/admin/keys").json().getInt("total_found"));
        assertEquals(16, node.get("/admin/keys?pattern=*").json().getInt("total_found"));
    }

    @Test
    void adminEntryLeavesStatisticsAlone() {
        node.put("/cache/quiet", "[1]");
        JsonObject before = node.get("/stats").json();
        JsonObject entry = node.get("/admin/entry/quiet").json();
        assertTrue(entry.getBoolean("exists"));
        assertTrue(entry.isNull("ttl_remaining_seconds"));
        assertEquals(1, entry.getJsonArray("value").getInt(0));
        assertFalse(node.get("/admin/entry/absent").json().getBoolean("exists"));
        JsonObject after = node.get("/stats").json();
        assertEquals(before.getInt("hits"), after.getInt("hits"));
        assertEquals(before.getInt("misses"), after.getInt("misses"));
    }

    @Test
    void rootDescribesTheService() {
        JsonObject root = node.get("/").json();
        assertEquals("CacheGrid", root.getString("service"));
        for (String field : new String[] {"version", "status", "docs", "health", "console"}) {
            assertTrue(root.containsKey(field), field);
        }
    }

    @Test
    void prometheusMetricsCarryCacheCounters() {
        node.put("/cache/m", "1");
        node.get("/cache/m");
        node.get("/cache/m-miss");
        String metrics = node.get("/metrics").body();
        for (String name : new String[] {"cachegrid_hits_total", "cachegrid_misses_total", "cachegrid_sets_total",
                "cachegrid_deletes_total", "cachegrid_evictions_total", "cachegrid_expirations_total",
                "cachegrid_entries", "cachegrid_memory_bytes"}) {
            assertTrue(metrics.contains(name), name + " missing from /metrics");
        }
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("cachegrid_entries{") && l.endsWith(" 1.0")),
                "entries gauge should read 1");
        assertEquals(200, node.get("/observe/metrics").status());
    }

    @Test
    void observeHealthEndpointsAnswer() {
        assertEquals(200, node.get("/observe/health").status());
        TestNode.Reply live = node.get("/observe/health/live");
        assertEquals(200, live.status(), live.body());
        // the heap as the last collection left it, not Helidon's count of garbage (a full cache is not a dead node)
        assertTrue(live.body().contains("\"heapAfterCollection\"") && !live.body().contains("\"heapMemory\""),
                live.body());
        TestNode.Reply ready = node.get("/observe/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().contains("\"cachegrid\"") && ready.body().contains("\"UP\""), ready.body());
    }

    @Test
    void evictionHappensAtTheItemLimit() {
        try (TestNode small = TestNode.start(Map.of("CACHEGRID_MAX_SIZE", "50", "CACHEGRID_EVICTION_POLICY", "lfu"))) {
            for (int i = 0; i < 200; i++) {
                small.put("/cache/k" + i, "\"" + i + "\"");
            }
            JsonObject stats = small.get("/stats").json();
            assertTrue(stats.getInt("current_size") <= 50, stats.toString());
            assertEquals(200 - stats.getInt("current_size"), stats.getInt("evictions"));
            assertEquals("lfu", stats.getString("eviction_policy"));
        }
    }
}
