package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.cachegrid.TestNode;
import io.cachegrid.json.JsonSlice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large answers through a cluster (issue 9): a value forwarded from its owner and a batch merged from several
 * members come back byte for byte, and a merged batch answer over {@code CACHEGRID_MAX_RESPONSE_BYTES} is a 413
 * naming the setting on whichever member it arrives at.
 */
class ClusterLargeAnswersTest {

    private static final int VALUE_BYTES = 120_000;
    private static final List<String> KEYS = List.of("big-a", "big-b", "big-c", "big-d");

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3, Map.of("CACHEGRID_MAX_VALUE_BYTES", "200000",
            "CACHEGRID_MAX_RESPONSE_BYTES", "300000"));

    @BeforeAll
    static void storeLargeValues() {
        for (String key : KEYS) {
            assertEquals(200, cluster.node(0).put("/cache/" + key, value(key)).status());
        }
    }

    private static String value(String key) {
        return "\"" + key + ":" + "v".repeat(VALUE_BYTES - key.length() - 3) + "\"";
    }

    @Test
    void largeValuesReadThroughEveryMemberAreTheStoredBytes() {
        for (int n = 0; n < cluster.size(); n++) {
            for (String key : KEYS) {
                TestNode.Reply get = cluster.node(n).get("/cache/" + key);
                assertEquals(200, get.status(), get.body());
                assertEquals("{\"key\":\"" + key + "\",\"value\":" + value(key) + ",\"exists\":true,\"hit\":true}",
                        get.body(), "node " + n + " " + key);
            }
        }
    }

    @Test
    void aMergedBatchWithinTheBudgetIsExactAndOneOverItIs413() {
        for (int n = 0; n < cluster.size(); n++) {
            TestNode.Reply two = cluster.node(n).post("/cache/batch/get", "{\"keys\":[\"big-a\",\"big-d\",\"none\"]}");
            assertEquals(200, two.status(), two.body());
            Map<String, JsonSlice> results = JsonSlice.parse(two.body().getBytes(StandardCharsets.UTF_8)).members()
                    .get("results").members();
            assertEquals(value("big-a"), results.get("big-a").members().get("value").toString());
            assertEquals(value("big-d"), results.get("big-d").members().get("value").toString());
            assertEquals(JsonSlice.Kind.NULL, results.get("none").members().get("value").kind());

            TestNode.Reply all = cluster.node(n).post("/cache/batch/get",
                    "{\"keys\":[\"big-a\",\"big-b\",\"big-c\",\"big-d\"]}");
            String detail = all.error(413).getString("detail");
            assertTrue(detail.contains("CACHEGRID_MAX_RESPONSE_BYTES"), detail);
        }
    }
}
