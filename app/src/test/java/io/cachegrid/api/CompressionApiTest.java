package io.cachegrid.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cachegrid.JsonSamples;
import io.cachegrid.TestNode;
import io.cachegrid.TestNode.Reply;
import io.cachegrid.engine.CompressionStats;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CACHEGRID_COMPRESSION_THRESHOLD_BYTES} over real HTTP: every route that returns a value (GET, batch get,
 * the admin entry) answers with exactly the JSON text that was stored, small answers and streamed ones alike,
 * ETags are the write's version, and {@code /stats} and {@code /metrics} report the compression. (A node
 * without the setting reports it off: {@code CacheApiTest}.)
 */
class CompressionApiTest {
    private static final int THRESHOLD = 256;
    private static final int RESPONSE_BUDGET = 3_000_000;

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(Map.of("CACHEGRID_COMPRESSION_THRESHOLD_BYTES",
            String.valueOf(THRESHOLD), "CACHEGRID_MAX_VALUE_BYTES", "2000000",
            "CACHEGRID_MAX_RESPONSE_BYTES", String.valueOf(RESPONSE_BUDGET)));

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void getReturnsEveryValueByteForByteWithItsVersion() {
        List<byte[]> values = JsonSamples.variety(1_500_000, 41);
        for (int i = 0; i < values.size(); i++) {
            String value = text(values.get(i));
            Reply put = node.put("/cache/v" + i, value);
            assertEquals(200, put.status(), put.body());
            Reply get = node.get("/cache/v" + i);
            assertEquals(200, get.status());
            assertEquals("{\"key\":\"v" + i + "\",\"value\":" + value + ",\"exists\":true,\"hit\":true}", get.body(),
                         "value " + i + " of " + values.get(i).length + " bytes");
            assertEquals(put.etag(), get.etag(), "the ETag is the write's version");
            Reply revalidate = node.send(java.net.http.HttpRequest.newBuilder(node.uri("/cache/v" + i))
                                                 .header("If-None-Match", get.etag()).GET());
            assertEquals(304, revalidate.status());
        }
        assertTrue(node.server().engine().compressionStats().compressedValues() > 0);
    }

    @Test
    void batchGetAndTheAdminEntryReturnTheStoredTextToo() {
        List<String> keys = new ArrayList<>();
        StringBuilder expected = new StringBuilder("{\"success\":true,\"results\":{");
        for (int size : new int[] {300, 5000, 70_000, 400_000}) {
            String key = "b" + size;
            String value = text(JsonSamples.document(size, size));
            assertEquals(200, node.put("/cache/" + key + "?tags=batch", value).status());
            expected.append(keys.isEmpty() ? "" : ",").append('"').append(key).append("\":{\"value\":").append(value)
                    .append(",\"exists\":true,\"hit\":true}");
            keys.add(key);
            Reply entry = node.get("/admin/entry/" + key);
            assertEquals(200, entry.status());
            assertTrue(entry.body().startsWith("{\"key\":\"" + key + "\",\"value\":" + value + ",\"exists\":true,"),
                       "admin entry of " + key);
            assertEquals(value.getBytes(StandardCharsets.UTF_8).length, entry.json().getInt("size_bytes"),
                         "size_bytes is the value's own size");
            assertEquals(List.of("batch"), entry.json().getJsonArray("tags").getValuesAs(
                    jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        }
        expected.append("},\"requested_keys\":4,\"found_keys\":4,\"timestamp\":");
        Reply batch = node.post("/cache/batch/get", "{\"keys\":[\"" + String.join("\",\"", keys) + "\"]}");
        assertEquals(200, batch.status());
        assertTrue(batch.body().startsWith(expected.toString()), "batch answer holds every value as stored");
    }

    @Test
    void statsAndMetricsReportTheCompression() {
        byte[] document = JsonSamples.document(64 * 1024, 77);
        assertEquals(200, node.put("/cache/stats-doc", text(document)).status());
        assertEquals(200, node.put("/cache/stats-noise", text(JsonSamples.incompressible(4096, 78))).status());
        CompressionStats engine = node.server().engine().compressionStats();
        JsonObject stats = node.get("/stats").json();
        assertEquals(THRESHOLD, stats.getInt("compression_threshold_bytes"));
        assertEquals(engine.compressedValues(), stats.getJsonNumber("compressed_values").longValue());
        assertTrue(stats.getJsonNumber("incompressible_values").longValue() >= 1);
        long original = stats.getJsonNumber("compression_original_bytes").longValue();
        long stored = stats.getJsonNumber("compression_stored_bytes").longValue();
        assertEquals(engine.originalBytes() + engine.incompressibleBytes(), original);
        assertEquals(engine.storedBytes() + engine.incompressibleBytes(), stored);
        assertEquals((double) original / stored, stats.getJsonNumber("compression_ratio").doubleValue(), 1e-4);
        assertTrue(stats.getJsonNumber("compression_ratio").doubleValue() > 1.5, stats.toString());
        assertTrue(stats.getJsonNumber("memory_usage_bytes").longValue() < original,
                   "the memory accounted is the stored bytes: less than the values' own size");

        String metrics = node.get("/metrics").body();
        for (String name : new String[] {"cachegrid_compression_ratio", "cachegrid_compressed_values",
                "cachegrid_incompressible_values", "cachegrid_compression_original_bytes",
                "cachegrid_compression_stored_bytes"}) {
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith(name + "{")), name + " missing from /metrics:\n"
                       + metrics.lines().filter(line -> line.contains("cachegrid_")).toList());
        }
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("cachegrid_compression_original_bytes{")
                                                    && line.endsWith(" " + (double) original)), metrics);
    }

    @Test
    void theResponseBudgetCountsTheValuesDecompressed() {
        String first = text(JsonSamples.document(1_200_000, 91));
        long stored = 0;
        for (int i = 1; i <= 3; i++) {
            assertEquals(200, node.put("/cache/budget-" + i, text(JsonSamples.document(1_200_000, 90 + i))).status());
            stored += node.server().engine().peekStoredForm("budget-" + i).length();
        }
        assertTrue(stored < RESPONSE_BUDGET / 2, "held compressed in " + stored + " bytes");
        Reply two = node.post("/cache/batch/get", "{\"keys\":[\"budget-1\",\"budget-2\"]}");
        assertEquals(200, two.status());
        assertTrue(two.body().contains("\"value\":" + first + ","));
        // 2.4 MB of values fit the 3 MB budget; 3.6 MB do not, though compressed they would: the answer is refused
        // for its real size, before anything is decompressed
        Reply three = node.post("/cache/batch/get", "{\"keys\":[\"budget-1\",\"budget-2\",\"budget-3\"]}");
        String detail = three.error(413).getString("detail");
        assertTrue(detail.contains("CACHEGRID_MAX_RESPONSE_BYTES"), detail);
    }
}
