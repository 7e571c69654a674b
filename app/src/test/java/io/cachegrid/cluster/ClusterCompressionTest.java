package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.cachegrid.JsonSamples;
import io.cachegrid.TestNode;
import io.cachegrid.engine.StoredForm;
import io.cachegrid.json.JsonSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compression in a cluster: each member compresses the copies it holds (a copy travels as the JSON text and is
 * stored at the primary's version), and a value read through any member, forwarded or from a local copy, single
 * or in a merged batch, is the exact text written.
 */
class ClusterCompressionTest {

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3,
            Map.of("CACHEGRID_COMPRESSION_THRESHOLD_BYTES", "512"));

    @Test
    void everyCopyIsCompressedAndEveryMemberReadsTheStoredText() {
        List<String> keys = List.of("doc-a", "doc-b", "doc-c", "doc-d", "doc-e");
        for (int i = 0; i < keys.size(); i++) {
            String value = new String(JsonSamples.document(2000 + 30_000 * i, i), StandardCharsets.UTF_8);
            TestNode.Reply put = cluster.node(i % cluster.size()).put("/cache/" + keys.get(i), value);
            assertEquals(200, put.status(), put.body());
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            byte[] value = JsonSamples.document(2000 + 30_000 * i, i);
            int copies = 0;
            long version = -1;
            for (TestNode member : cluster.running()) {
                StoredForm form = member.server().engine().peekStoredForm(key);
                if (form != null) {
                    copies++;
                    assertTrue(form.compressed(), key + " is held compressed on every member that has a copy");
                    assertArrayEquals(value, member.server().engine().peek(key), key);
                    assertTrue(version == -1 || version == form.version(), "every copy has the primary's version");
                    version = form.version();
                }
            }
            assertEquals(2, copies, key + ": replication factor 2");
            for (int n = 0; n < cluster.size(); n++) {
                TestNode.Reply get = cluster.node(n).get("/cache/" + key);
                assertEquals("{\"key\":\"" + key + "\",\"value\":" + new String(value, StandardCharsets.UTF_8)
                             + ",\"exists\":true,\"hit\":true}", get.body(), "node " + n + " " + key);
            }
        }
        for (int n = 0; n < cluster.size(); n++) {
            TestNode.Reply batch = cluster.node(n).post("/cache/batch/get",
                    "{\"keys\":[\"" + String.join("\",\"", keys) + "\"]}");
            assertEquals(200, batch.status(), batch.body());
            Map<String, JsonSlice> results = JsonSlice.parse(batch.body().getBytes(StandardCharsets.UTF_8)).members()
                    .get("results").members();
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(new String(JsonSamples.document(2000 + 30_000 * i, i), StandardCharsets.UTF_8),
                             results.get(keys.get(i)).members().get("value").toString(), "node " + n);
            }
        }
    }
}
