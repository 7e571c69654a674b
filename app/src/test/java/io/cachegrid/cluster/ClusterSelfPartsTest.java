package io.cachegrid.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, "One routing path": no node sends HTTP to itself. A batch or fan-out received by node 0 is split among
 * the members; node 0's own part is answered in-process, so node 0 receives no part over HTTP (nobody else
 * coordinates anything here), while the others do. The merged answers are the same as before.
 */
class ClusterSelfPartsTest {

    private static final int KEYS = 30;

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3);

    private static long partsServed(int i) {
        return ((ClusterNode) cluster.node(i).server().cluster()).partsServed();
    }

    @Test
    void aNodeAnswersItsOwnPartOfBatchesAndFanOutsInProcess() {
        TestNode via = cluster.node(0);
        long[] before = IntStream.range(0, 3).mapToLong(ClusterSelfPartsTest::partsServed).toArray();
        String items = IntStream.range(0, KEYS).mapToObj(i -> "\"self-" + i + "\":" + i)
                .collect(Collectors.joining(",", "{\"items\":{", "},\"tags\":[\"t\"]}"));
        String keys = IntStream.range(0, KEYS).mapToObj(i -> "\"self-" + i + "\"")
                .collect(Collectors.joining(",", "{\"keys\":[", "]}"));

        JsonObject set = via.post("/cache/batch/set", items).json();
        assertEquals(KEYS, set.getInt("items_set"));
        assertEquals(2, set.getInt("copies")); // a local copy counts as one confirmation, a member's as another
        JsonObject got = via.post("/cache/batch/get", keys).json();
        assertEquals(KEYS, got.getInt("found_keys"));
        assertEquals(7, got.getJsonObject("results").getJsonObject("self-7").getInt("value"));
        assertEquals(KEYS, via.get("/admin/keys?pattern=self-").json().getInt("total_found"));
        assertEquals(KEYS, via.get("/tags/t").json().getInt("total"));
        assertEquals(2 * KEYS, via.delete("/tags/t").json().getInt("items_removed")); // copies, as documented
        assertEquals(0, via.post("/cache/batch/get", keys).json().getInt("found_keys"));
        via.post("/cache/batch/set", items).json();
        assertEquals(2 * KEYS, via.delete("/cache?confirm=true").json().getInt("items_removed"));

        assertEquals(before[0], partsServed(0), "node 0 sent parts to itself over HTTP");
        assertTrue(partsServed(1) > before[1] && partsServed(2) > before[2], "the other members got their parts");
    }
}
