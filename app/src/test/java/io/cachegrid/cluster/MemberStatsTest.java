package io.cachegrid.cluster;

import java.util.List;

import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /cluster/nodes}: every member's keys and memory as that member counts them, seen from any member. */
class MemberStatsTest {

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3);

    @Test
    void everyMemberIsListedWithItsOwnCounts() {
        for (int i = 0; i < 60; i++) {
            assertEquals(200, cluster.node(i % 3).put("/cache/stats-" + i, "\"v" + i + "\"").status());
        }
        List<JsonObject> nodes = nodes(cluster.node(1));
        assertEquals(3, nodes.size());
        long copies = 0;
        for (int i = 0; i < 3; i++) {
            String address = cluster.address(i);
            JsonObject listed = nodes.stream().filter(n -> n.getString("address").equals(address)).findFirst()
                    .orElseThrow(() -> new AssertionError(address + " missing from " + nodes));
            long held = cluster.node(i).server().engine().size();
            assertEquals("up", listed.getString("status"));
            assertEquals(i == 1, listed.getBoolean("self"));
            assertEquals(held, listed.getJsonNumber("current_size").longValue(), address);
            assertEquals(cluster.node(i).server().engine().memoryBytes(),
                    listed.getJsonNumber("memory_usage_bytes").longValue(), address);
            assertFalse(listed.containsKey("error"));
            copies += held;
        }
        assertEquals(120, copies, "60 keys, two copies each");
    }

    @Test
    void aMemberThatStoppedIsShownWithoutNumbers() {
        cluster.kill(2);
        List<JsonObject> nodes = nodes(cluster.node(0));
        JsonObject gone = nodes.stream().filter(n -> n.getString("address").equals(cluster.address(2)))
                .findFirst().orElseThrow();
        assertTrue(gone.getString("status").equals("down") || gone.containsKey("error"), gone.toString());
        assertFalse(gone.containsKey("current_size"), gone.toString());
    }

    private static List<JsonObject> nodes(TestNode node) {
        TestNode.Reply reply = node.get("/cluster/nodes");
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("nodes").stream().map(JsonValue::asJsonObject).toList();
    }
}
