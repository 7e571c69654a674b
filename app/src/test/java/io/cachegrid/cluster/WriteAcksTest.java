package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CACHEGRID_WRITE_ACKS on real members next to a {@link StalledMember} that is in the JGroups view but never
 * confirms a copy: how many copies each level waits for, what the answer says (X-CacheGrid-Copies, "copies", 503),
 * that an owner that left the view is not waited for, and that a member which forwarded a write hears its owner's
 * answer (the replication timeout is shorter than the forwarding timeout) instead of giving up on it.
 */
class WriteAcksTest {

    /** Short, so that a test waiting on the stalled member is quick; forwarding waits 3 s more. */
    private static final String REPLICATION_TIMEOUT = "0.3";

    private final List<TestNode> nodes = new ArrayList<>();
    private final List<NodeAddress> addresses = new ArrayList<>();
    private StalledMember stalled;
    private int replicationFactor;

    /**
     * Starts the stalled member (its HTTP port is bound first, so the peer list can name it), has it join the
     * cluster with the same cluster settings as the members, then starts the members (one environment each, on top
     * of the common one), and waits until every member sees all of them up.
     */
    private void start(int replicationFactor, List<Map<String, String>> memberEnv) {
        this.replicationFactor = replicationFactor;
        stalled = new StalledMember();
        List<PortReservation> ports = memberEnv.stream().map(e -> new PortReservation()).toList();
        String peers = Stream.concat(ports.stream().map(p -> "127.0.0.1:" + p.port()), Stream.of(stalled.address()))
                .collect(Collectors.joining(","));
        Map<String, String> common = Map.of(
                "CACHEGRID_PEERS", peers,
                "CACHEGRID_REPLICATION_FACTOR", String.valueOf(replicationFactor),
                "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25",
                "CACHEGRID_REPLICATION_TIMEOUT_SECONDS", REPLICATION_TIMEOUT);
        Map<String, String> stalledEnv = new HashMap<>(common);
        stalledEnv.put("CACHEGRID_NODE_ID", "stalled");
        stalled.join(stalledEnv);
        for (int i = 0; i < memberEnv.size(); i++) {
            Map<String, String> env = new HashMap<>(memberEnv.get(i));
            env.putAll(common);
            env.put("CACHEGRID_NODE_ID", "node-" + i);
            try {
                nodes.add(TestNode.start(ports.get(i).port(), env));
            } finally {
                ports.get(i).close();
            }
            addresses.add(NodeAddress.parse("127.0.0.1:" + ports.get(i).port()));
        }
        nodes.forEach(node -> awaitMembersUp(node, memberEnv.size() + 1));
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
        if (stalled != null) {
            stalled.close();
        }
    }

    private static void awaitMembersUp(TestNode node, int expected) {
        LocalCluster.await(() -> LocalCluster.membersUp(node) == expected, () -> expected + " members up: "
                + node.get("/cluster").body());
    }

    /** A key whose owners, in order, are exactly these (primary first), on the ring of every member in the view. */
    private String keyOwnedBy(String prefix, NodeAddress... owners) {
        List<NodeAddress> live = new ArrayList<>(addresses);
        live.add(NodeAddress.parse(stalled.address()));
        HashRing ring = HashRing.of(live.stream().sorted().toList(), ClusterSettings.RING_VNODES);
        for (int i = 0; i < 100_000; i++) {
            String key = prefix + i;
            if (ring.owners(key, replicationFactor).equals(List.of(owners))) {
                return key;
            }
        }
        throw new AssertionError("no key owned by " + List.of(owners));
    }

    private NodeAddress stalledAddress() {
        return NodeAddress.parse(stalled.address());
    }

    private static String path(String key) {
        return "/cache/" + KeyPaths.encode(key);
    }

    @Test
    void quorumWaitsForBothOwnersInTheViewAndForTheSurvivorAloneOnceTheOtherLeftIt() {
        start(2, List.of(Map.of()));
        TestNode a = nodes.get(0);
        String key = keyOwnedBy("q:", addresses.get(0), stalledAddress());

        TestNode.Reply refused = a.put(path(key), "\"v1\"");
        JsonObject error = refused.error(503);
        assertEquals("write not confirmed", error.getString("error"), refused.body());
        assertTrue(error.getString("detail").contains("may have been applied on some copies"), refused.body());
        assertTrue(error.getString("detail").contains(stalled.address()), "names the owner that did not confirm");
        assertNotNull(refused.header("Retry-After"));
        assertNotNull(a.server().engine().peek(key), "applied on the primary, as the detail says");

        String batch = "{\"items\":{\"" + key + "\":1}}";
        assertEquals("write not confirmed", a.post("/cache/batch/set", batch).error(503).getString("error"));

        stalled.leaveView();
        awaitMembersUp(a, 1);
        TestNode.Reply stored = a.put(path(key), "\"v2\"");
        assertEquals(200, stored.status(), stored.body());
        assertEquals("1", stored.header("X-CacheGrid-Copies"), "the survivor suffices");
        assertEquals(1, stored.json().getInt("copies"));
        TestNode.Reply batched = a.post("/cache/batch/set", batch);
        assertEquals(200, batched.status(), batched.body());
        assertEquals(1, batched.json().getInt("copies"));
    }

    @Test
    void oneAnswersOnThePrimarysCopyAndSendsTheOthersInTheBackground() {
        start(2, List.of(Map.of("CACHEGRID_WRITE_ACKS", "one")));
        TestNode a = nodes.get(0);
        String key = keyOwnedBy("one:", addresses.get(0), stalledAddress());

        // counted from the write on: as a real view member the stalled one would also be sent rebalancing pushes
        int before = stalled.held();
        TestNode.Reply stored = a.put(path(key), "\"v\"");
        assertEquals(200, stored.status(), stored.body()); // with quorum or all: 503, the replica never confirms
        assertEquals("1", stored.header("X-CacheGrid-Copies"));
        assertEquals(1, stored.json().getInt("copies"));
        LocalCluster.await(() -> stalled.held() >= before + 1, () -> "the copy sent to the replica anyway");

        String other = keyOwnedBy("one-batch:", addresses.get(0), stalledAddress());
        TestNode.Reply batched = a.post("/cache/batch/set", "{\"items\":{\"" + other + "\":1}}");
        assertEquals(200, batched.status(), batched.body());
        assertEquals(1, batched.json().getInt("items_set"));
        LocalCluster.await(() -> stalled.held() >= before + 2, () -> "the batch part sent to the replica anyway");
    }

    @Test
    void withThreeCopiesQuorumToleratesOneSilentOwnerAndAllDoesNot() {
        start(3, List.of(Map.of("CACHEGRID_WRITE_ACKS", "quorum"), Map.of("CACHEGRID_WRITE_ACKS", "all")));
        TestNode quorum = nodes.get(0);
        TestNode all = nodes.get(1);
        String viaQuorum = keyOwnedBy("q3:", addresses.get(0), addresses.get(1), stalledAddress());
        TestNode.Reply stored = quorum.put(path(viaQuorum), "1");
        assertEquals(200, stored.status(), stored.body());
        assertEquals("2", stored.header("X-CacheGrid-Copies"));
        assertNotNull(all.server().engine().peek(viaQuorum), "the other live owner has its copy");

        String viaAll = keyOwnedBy("a3:", addresses.get(1), addresses.get(0), stalledAddress());
        TestNode.Reply refused = all.put(path(viaAll), "1");
        assertEquals("write not confirmed", refused.error(503).getString("error"), refused.body());
        assertTrue(refused.json().getString("detail").contains("needs 3"), refused.body());
        assertNull(refused.header("X-CacheGrid-Copies"));
    }

    @Test
    void aForwarderGetsTheOwnersAnswerWhileTheOwnerWaitsOnAStalledReplica() {
        start(2, List.of(Map.of(), Map.of()));
        TestNode a = nodes.get(0);
        String key = keyOwnedBy("fwd:", addresses.get(1), stalledAddress());
        // a is no owner: it forwards to b, which waits (0.3 s) on the stalled replica and answers first, so a
        // relays b's own answer, not a "no owner could be reached" of its own after giving up on b
        TestNode.Reply answer = a.put(path(key), "1");
        JsonObject error = answer.error(503);
        assertEquals("write not confirmed", error.getString("error"), answer.body());
        assertEquals("1", answer.header("Retry-After"), "the owner's headers come back with its answer");
        assertNotNull(nodes.get(1).server().engine().peek(key));
        assertNull(a.server().engine().peek(key));

        String healthy = keyOwnedBy("fwd-ok:", addresses.get(1), addresses.get(0));
        TestNode.Reply stored = a.put(path(healthy), "2");
        assertEquals(200, stored.status(), stored.body());
        assertEquals("2", stored.header("X-CacheGrid-Copies"), "relayed from the owner");
        assertEquals(2, stored.json().getInt("copies"));
    }

    @Test
    void aLargeWriteToAnOwnerThatStopsReadingIsAnsweredNotHung() {
        start(2, List.of(Map.of()));
        TestNode a = nodes.get(0);
        // the stalled member never reads a body: 6 MiB fill the socket buffers and the send blocks while writing,
        // where no read timeout applies; the forward and the replica copy must each be given up on at a deadline
        String key = keyOwnedBy("large:", stalledAddress(), addresses.get(0));
        String value = "\"" + "x".repeat(6 * 1024 * 1024) + "\"";
        TestNode.Reply answer = a.put(path(key), value);
        assertEquals("write not confirmed", answer.error(503).getString("error"), "a tried the next owner, itself,"
                + " which could not get its copy to the stalled member either");
        assertNotNull(a.server().engine().peek(key));
    }
}
