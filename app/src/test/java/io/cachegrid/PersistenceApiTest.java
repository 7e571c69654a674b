package io.cachegrid;

import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;

import io.cachegrid.persist.Persistence;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistence as the API shows it: /stats and /metrics report it (and {"mode":"off"} without it), writes are
 * answered after their record is durable, and a log that cannot be written turns every write into a 503 JSON error
 * while reads go on.
 */
class PersistenceApiTest {

    @Test
    void aNodeWithoutPersistenceSaysOffAndHasNoPersistence() {
        try (TestNode node = TestNode.start()) {
            JsonObject persistence = node.get("/stats").json().getJsonObject("persistence");
            assertEquals("off", persistence.getString("mode"));
            assertEquals(1, persistence.size());
            assertEquals(null, node.server().persistence());
            assertFalse(node.get("/metrics").body().contains("cachegrid_persistence"));
            assertFalse(Thread.getAllStackTraces().keySet().stream().map(Thread::getName).anyMatch(
                    name -> name.equals("cachegrid-log-flusher") || name.equals("cachegrid-snapshot")),
                    "persistence off starts no thread");
        }
    }

    @Test
    void statsAndMetricsShowTheLogAndAFailedLogAnswers503(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_PERSISTENCE", "log", "CACHEGRID_FSYNC", "always",
                "CACHEGRID_DATA_DIR", dir.toString()))) {
            assertEquals(200, node.put("/cache/a", "1").status());
            assertEquals(200, node.post("/cache/batch/set", "{\"items\":{\"b\":2,\"c\":3}}").status());
            JsonObject persistence = node.get("/stats").json().getJsonObject("persistence");
            assertEquals("log", persistence.getString("mode"));
            assertEquals("always", persistence.getString("fsync"));
            assertTrue(persistence.getJsonNumber("log_bytes").longValue() > 8, persistence.toString());
            assertTrue(persistence.getJsonNumber("fsyncs").longValue() >= 1, persistence.toString());
            assertTrue(persistence.getBoolean("healthy"));
            String metrics = node.get("/metrics").body();
            assertTrue(metrics.contains("cachegrid_persistence_log_bytes") && metrics.contains(
                    "cachegrid_persistence_last_fsync_seconds"), metrics);

            breakTheLog(node.server().persistence());
            TestNode.Reply refused = node.put("/cache/d", "4");
            assertEquals(503, refused.status(), refused.body());
            assertEquals("persistence unavailable", refused.error(503).getString("error"));
            assertEquals(503, node.delete("/cache/a").status());
            assertEquals(503, node.post("/cache/batch/set", "{\"items\":{\"e\":5}}").status());
            assertEquals(200, node.get("/cache/b").status(), "reads go on");
            assertFalse(node.get("/stats").json().getJsonObject("persistence").getBoolean("healthy"));
        }
    }

    /**
     * A node with compression and persistence (log and snapshots) restarted from its directory answers every GET
     * with exactly the text stored before, restarted with compression on as before or off: the log and the snapshot
     * keep compressed values as such and the load stores them back in that form (or decompressed, without it).
     */
    @Test
    void compressedValuesComeBackByteForByteAfterARestartWithCompressionOnOrOff(@TempDir Path dir) {
        Map<String, String> persistence = Map.of("CACHEGRID_PERSISTENCE", "both", "CACHEGRID_FSYNC", "always",
                "CACHEGRID_DATA_DIR", dir.toString(), "CACHEGRID_MAX_VALUE_BYTES", "2000000",
                "CACHEGRID_MAX_RESPONSE_BYTES", "3000000");
        Map<String, String> compressed = new java.util.HashMap<>(persistence);
        compressed.put("CACHEGRID_COMPRESSION_THRESHOLD_BYTES", "64");
        java.util.List<byte[]> values = JsonSamples.variety(600_000, 12);
        java.util.Map<String, String> answers = new java.util.LinkedHashMap<>();
        try (TestNode node = TestNode.start(compressed)) {
            for (int i = 0; i < values.size(); i++) {
                if (i == values.size() / 2) {
                    assertTrue(node.server().persistence().snapshot()); // the first half in the snapshot
                }
                String value = new String(values.get(i), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(200, node.put("/cache/v" + i + (i % 2 == 0 ? "?tags=even" : ""), value).status());
                TestNode.Reply get = node.get("/cache/v" + i);
                assertTrue(get.body().startsWith("{\"key\":\"v" + i + "\",\"value\":" + value
                                                 + ",\"exists\":true,\"hit\":true"), "v" + i);
                answers.put("/cache/v" + i, get.body());
            }
            assertTrue(node.server().engine().compressionStats().compressedValues() > 0);
        }
        for (Map<String, String> env : java.util.List.of(compressed, persistence, compressed)) {
            try (TestNode node = TestNode.start(env)) {
                answers.forEach((path, body) -> assertEquals(body, node.get(path).body(), path + ", compression "
                        + env.getOrDefault("CACHEGRID_COMPRESSION_THRESHOLD_BYTES", "off")));
                assertEquals(values.size(), node.server().engine().size());
                node.checkInvariants();
            }
        }
    }

    /** Closes the log's file underneath it, as a failing disk would: its next write fails. */
    private static void breakTheLog(Persistence persistence) throws Exception {
        Object log = field(persistence, "log");
        ((FileChannel) field(log, "channel")).close();
    }

    private static Object field(Object owner, String name) throws Exception {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }
}
