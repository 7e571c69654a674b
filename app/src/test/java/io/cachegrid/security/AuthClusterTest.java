package io.cachegrid.security;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.cachegrid.security.AuthClient.ADMIN;
import static io.cachegrid.security.AuthClient.READ;
import static io.cachegrid.security.AuthClient.WRITE;
import static io.cachegrid.security.AuthClient.get;
import static io.cachegrid.security.AuthClient.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three members (R=2) with authentication on: members present their admin token to each other, so forwarding and
 * replication work, while an outsider cannot use the members' internal header or routes, nor pin a version.
 */
class AuthClusterTest {

    private static final int MEMBERS = 3;
    private static final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // static peers must be known before start: each port is held until its member listens on it
        List<PortReservation> ports = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            ports.add(new PortReservation());
        }
        Map<String, String> env = Map.of("CACHEGRID_PEERS", ports.stream().map(p -> "127.0.0.1:" + p.port())
                        .collect(Collectors.joining(",")),
                "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS, "CACHEGRID_REPLICATION_FACTOR", "2",
                "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25");
        for (PortReservation port : ports) {
            try (port) {
                nodes.add(TestNode.start(port.port(), env));
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!nodes.stream().allMatch(AuthClusterTest::allUp)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("members did not see each other: " + get(nodes.get(0), "/cluster", ADMIN)
                        .body());
            }
            Thread.sleep(100);
        }
    }

    private static boolean allUp(TestNode node) {
        TestNode.Reply reply = get(node, "/cluster", ADMIN);
        return reply.status() == 200 && !reply.body().contains("\"down\"")
                && reply.body().split("\"address\"").length == MEMBERS + 1;
    }

    @AfterAll
    static void stop() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void writesAreForwardedAndReplicatedWithTheMembersToken() {
        for (int i = 0; i < 30; i++) {
            assertEquals(200, send(nodes.get(i % MEMBERS), "PUT", "/cache/k" + i, String.valueOf(i), WRITE).status());
        }
        for (TestNode node : nodes) {
            for (int i = 0; i < 30; i++) {
                TestNode.Reply reply = get(node, "/cache/k" + i, READ);
                assertEquals(200, reply.status(), reply.body());
                assertEquals(String.valueOf(i), reply.json().get("value").toString());
            }
        }
        for (int i = 0; i < 30; i++) {
            String key = "k" + i;
            long copies = nodes.stream().filter(n -> n.server().engine().peek(key) != null).count();
            assertEquals(2, copies, "copies of " + key + " (replication passed the members' credentials)");
        }
        assertEquals(200, send(nodes.get(1), "POST", "/cache/batch/get", "{\"keys\":[\"k1\",\"k2\",\"k3\"]}", READ)
                .status());
        TestNode.Reply keys = get(nodes.get(0), "/admin/keys?pattern=k", ADMIN);
        assertEquals(30, keys.json().getInt("total_found"), keys.body());
        // the client's role is checked where the request arrives: a reader cannot write through a member
        send(nodes.get(2), "PUT", "/cache/k1", "0", READ).error(403);
        send(nodes.get(2), "POST", "/cache/k1/incr", null, READ).error(403);
        send(nodes.get(2), "DELETE", "/tags/any", null, WRITE).error(403);
    }

    @Test
    void outsidersCannotUseTheInternalPathsNorPinAVersion() {
        TestNode a = nodes.get(0);
        send(a, "POST", "/cluster/push", "{\"items\":[{\"key\":\"x\",\"value\":1,\"ttl\":null}]}", null).error(401);
        a.send(HttpRequest.newBuilder(a.uri("/cluster/push"))
                .header("X-CacheGrid-Internal", "replica").header("Authorization", "Bearer " + WRITE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[]}"))).error(403);
        get(a, "/cluster", READ).error(403);
        assertTrue(get(a, "/cluster", ADMIN).status() == 200);
        // a member's copy header with the member header is an admin-only request ...
        a.send(HttpRequest.newBuilder(a.uri("/cache/pinned")).header("X-CacheGrid-Internal", "replica")
                .header("X-CacheGrid-Replica-Version", "18446744073709551615").header("Authorization", "Bearer " + WRITE)
                .PUT(HttpRequest.BodyPublishers.ofString("1"))).error(403);
        // ... and without it the version header is only a header: the write takes a version of the cluster's own
        TestNode.Reply plain = a.send(HttpRequest.newBuilder(a.uri("/cache/pinned"))
                .header("X-CacheGrid-Replica-Version", "18446744073709551615").header("Authorization", "Bearer " + WRITE)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("1")));
        assertEquals(200, plain.status(), plain.body());
        assertTrue(!plain.json().getString("version").equals("18446744073709551615"), plain.body());
        assertEquals(200, send(a, "PUT", "/cache/pinned", "2", WRITE).status(), "later writes still apply");
        assertEquals("2", get(nodes.get(2), "/cache/pinned", READ).json().get("value").toString());
    }
}
