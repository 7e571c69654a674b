package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership from JGroups views: every member installs the same view (same id, same live set), every answer
 * carries the view id, and a member listed under two spellings (127.0.0.1:p and localhost:p) is one member with one
 * place on the ring, so each key has exactly R copies.
 */
class ClusterMembershipTest {

    private static final int MEMBERS = 3;
    private static final List<TestNode> nodes = new ArrayList<>();
    private static final List<String> addresses = new ArrayList<>();

    @BeforeAll
    static void start() {
        List<PortReservation> ports = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            ports.add(new PortReservation());
            addresses.add("127.0.0.1:" + ports.get(i).port());
        }
        // member 0 is listed twice: once by IP, once by name
        String peers = "localhost:" + ports.get(0).port() + "," + String.join(",", addresses);
        for (int i = 0; i < MEMBERS; i++) {
            try (PortReservation port = ports.get(i)) {
                nodes.add(TestNode.start(port.port(), Map.of("CACHEGRID_PEERS", peers,
                        "CACHEGRID_REPLICATION_FACTOR", "2", "CACHEGRID_NODE_ID", "node-" + i,
                        "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25")));
            }
        }
        for (TestNode node : nodes) {
            LocalCluster.await(() -> LocalCluster.membersUp(node) == MEMBERS,
                    () -> "a view of all members: " + node.get("/cluster").body());
        }
        LocalCluster.await(() -> nodes.stream().map(n -> n.get("/cluster").json().getJsonNumber("view_id")
                .longValue()).distinct().count() == 1, () -> "one view on all members");
    }

    private static String port(int i) {
        return addresses.get(i).substring(addresses.get(i).lastIndexOf(':') + 1);
    }

    @AfterAll
    static void stop() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void everyMemberShowsTheSameViewAndEveryAnswerCarriesItsId() {
        long viewId = nodes.get(0).get("/cluster").json().getJsonNumber("view_id").longValue();
        assertTrue(viewId >= 2, "three joins make at least view 2, was " + viewId);
        for (TestNode node : nodes) {
            JsonObject cluster = node.get("/cluster").json();
            assertEquals(viewId, cluster.getJsonNumber("view_id").longValue());
            // member 0 goes by whichever of its two names it found first; either way it is one member
            assertEquals(MEMBERS, cluster.getJsonArray("members").size(), "one entry per member: " + cluster);
            assertEquals(Set.copyOf(addresses.subList(1, MEMBERS)), cluster.getJsonArray("members").stream()
                    .map(m -> m.asJsonObject().getString("address")).filter(a -> !a.endsWith(":" + port(0)))
                    .collect(Collectors.toSet()), cluster.toString());
            assertEquals(String.valueOf(viewId), node.get("/health").header("X-CacheGrid-View"));
            assertEquals(String.valueOf(viewId), node.put("/cache/view-probe", "1").header("X-CacheGrid-View"));
            assertEquals(String.valueOf(viewId), node.get("/cache/view-probe").header("X-CacheGrid-View"));
            assertEquals(String.valueOf(viewId), node.get("/no/such/route").header("X-CacheGrid-View"));
        }
    }

    @Test
    void aMemberListedUnderTwoNamesHoldsOneShareAndEveryKeyHasRCopies() {
        int keys = 300;
        for (int i = 0; i < keys; i++) {
            assertEquals(200, nodes.get(i % MEMBERS).put("/cache/alias-" + i, String.valueOf(i)).status());
        }
        int[] held = new int[MEMBERS];
        for (int i = 0; i < keys; i++) {
            int copies = 0;
            for (int n = 0; n < MEMBERS; n++) {
                if (nodes.get(n).server().engine().peek("alias-" + i) != null) {
                    copies++;
                    held[n]++;
                }
            }
            assertEquals(2, copies, "alias-" + i + " must be on exactly R=2 members");
        }
        // three members share 600 copies; with member 0 on the ring twice it would hold far more than its third
        assertTrue(held[0] < keys * 2 * 0.5, "member 0 holds " + held[0] + " of " + keys * 2 + " copies");
    }

    @Test
    void aListedPeerOutsideTheViewIsDownAndAStoppedMemberLeavesTheView() {
        TestNode extra;
        List<String> all = new ArrayList<>(addresses);
        try (PortReservation port = new PortReservation(); PortReservation ghost = new PortReservation()) {
            all.add("127.0.0.1:" + port.port());
            String ghostAddress = "127.0.0.1:" + ghost.port();
            extra = TestNode.start(port.port(), Map.of("CACHEGRID_PEERS", String.join(",", all) + "," + ghostAddress,
                    "CACHEGRID_REPLICATION_FACTOR", "2", "CACHEGRID_NODE_ID", "extra",
                    "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25"));
            LocalCluster.await(() -> LocalCluster.membersUp(extra) == MEMBERS + 1, () -> "the fourth member");
            JsonObject seen = extra.get("/cluster").json();
            assertEquals(MEMBERS + 2, seen.getJsonArray("members").size(), seen.toString());
            assertTrue(seen.getJsonArray("members").stream().map(JsonValue::asJsonObject)
                    .anyMatch(m -> m.getString("address").equals(ghostAddress)
                            && m.getString("status").equals("down")), seen.toString());
        }
        LocalCluster.await(() -> LocalCluster.membersUp(nodes.get(0)) == MEMBERS + 1, () -> "the fourth member");
        long joined = nodes.get(0).get("/cluster").json().getJsonNumber("view_id").longValue();
        extra.close();
        LocalCluster.await(() -> LocalCluster.membersUp(nodes.get(0)) == MEMBERS, () -> "the fourth member gone");
        assertTrue(nodes.get(0).get("/cluster").json().getJsonNumber("view_id").longValue() > joined);
    }
}
