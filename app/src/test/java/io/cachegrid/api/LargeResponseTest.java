package io.cachegrid.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cachegrid.TestNode;
import io.cachegrid.TestNode.Reply;
import io.cachegrid.json.JsonSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers above {@link ResponseBudget#SMALL_RESPONSE_BYTES} are streamed from the stored bytes within
 * {@code CACHEGRID_MAX_RESPONSE_BYTES}: same bytes as a small answer, and a batch answer over the budget is a 413
 * naming the setting.
 */
class LargeResponseTest {

    private static final int VALUE_BYTES = 150_000;

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(
            Map.of("CACHEGRID_MAX_VALUE_BYTES", "200000", "CACHEGRID_MAX_RESPONSE_BYTES", "300000"));

    private static String value(char c) {
        return "{\"text\":\"" + String.valueOf(c).repeat(VALUE_BYTES - 20) + "é\"}";
    }

    @Test
    void aLargeValueIsAnsweredWithExactlyItsStoredBytes() {
        String key = "big é/😀";
        String path = "/cache/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        assertEquals(200, node.put(path, value('a')).status());
        Reply get = node.get(path);
        assertEquals(200, get.status(), get.body());
        assertTrue(get.contentType().startsWith("application/json"), get.contentType());
        assertEquals("{\"key\":\"" + key + "\",\"value\":" + value('a') + ",\"exists\":true,\"hit\":true}", get.body());
    }

    @Test
    void theAdminViewOfALargeEntryIsItsStoredBytesToo() {
        Reply put = node.put("/cache/entry", value('e'));
        assertEquals(200, put.status());
        String version = put.json().getString("version");
        Reply entry = node.get("/admin/entry/entry");
        assertEquals(200, entry.status(), entry.body());
        assertEquals("{\"key\":\"entry\",\"value\":" + value('e') + ",\"exists\":true,\"ttl_remaining_seconds\":null,"
                + "\"size_bytes\":" + value('e').getBytes(StandardCharsets.UTF_8).length + ",\"version\":\"" + version
                + "\"}", entry.body());
    }

    @Test
    void aBatchWithinTheBudgetStreamsEveryValueAndOneOverItIs413() {
        assertEquals(200, node.put("/cache/b1", value('b')).status());
        assertEquals(200, node.put("/cache/b2", value('c')).status());
        Reply one = node.post("/cache/batch/get", "{\"keys\":[\"b1\",\"missing\",\"b1\"]}");
        assertEquals(200, one.status(), one.body());
        Map<String, JsonSlice> fields = JsonSlice.parse(one.body().getBytes(StandardCharsets.UTF_8)).members();
        Map<String, JsonSlice> results = fields.get("results").members();
        assertEquals(value('b'), results.get("b1").members().get("value").toString());
        assertEquals(JsonSlice.Kind.NULL, results.get("missing").members().get("value").kind());
        assertEquals("3", fields.get("requested_keys").toString());
        assertEquals("1", fields.get("found_keys").toString());

        Reply both = node.post("/cache/batch/get", "{\"keys\":[\"b1\",\"b2\"]}");
        String detail = both.error(413).getString("detail");
        assertTrue(detail.contains("CACHEGRID_MAX_RESPONSE_BYTES") && detail.contains("300000"), detail);
    }
}
