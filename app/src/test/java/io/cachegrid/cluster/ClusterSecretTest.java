package io.cachegrid.cluster;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster with CACHEGRID_CLUSTER_SECRET: members sign their requests to each other and work as before; a request
 * that claims to come from a member with a forged, missing, replayed, stale or body-swapped signature gets 403 and
 * changes nothing; a node with another secret can neither join the view nor talk to the members.
 */
class ClusterSecretTest {

    static final String SECRET = "correct horse battery staple 42";

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3, Map.of("CACHEGRID_CLUSTER_SECRET", SECRET));

    private static final String PUSH = "{\"items\":[{\"key\":\"pushed\",\"value\":1,\"ttl\":null,\"version\":\"99\"}]}";

    private static TestNode.Reply signed(TestNode node, RequestSigner signer, String method, String path, String body,
                                         String signedBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path))
                .header("X-CacheGrid-Internal", "replica")
                .header("Content-Type", "application/json")
                .header(RequestSigner.HEADER.defaultCase(), signer.sign(method, path,
                        signedBody == null ? null : signedBody.getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return node.send(request);
    }

    @Test
    void membersSignTheirRequestsAndReplicationWorks() {
        TestNode node = cluster.node(0);
        for (int i = 0; i < 50; i++) {
            assertEquals(200, node.put("/cache/signed-" + i, String.valueOf(i)).status());
        }
        // a key that needs percent-encoding and a query: the signature covers the path and query as sent
        assertEquals(200, node.put("/cache/a%2Fb%20c%3Fd?ttl=60&tags=x,y", "\"odd\"").status());
        for (TestNode member : cluster.running()) {
            TestNode.Reply odd = member.get("/cache/a%2Fb%20c%3Fd");
            assertEquals("\"odd\"", odd.json().get("value").toString(), odd.body());
        }
        assertEquals(2, cluster.copies("a/b c?d"));
        for (int i = 0; i < 50; i++) {
            assertEquals(2, cluster.copies("signed-" + i), "signed-" + i + " replicated to R=2 members");
            assertEquals(String.valueOf(i), cluster.node(i % 3).get("/cache/signed-" + i).json()
                    .get("value").toString());
        }
    }

    @Test
    void aMemberRequestWithoutSignatureIsRefusedAndChangesNothing() {
        TestNode node = cluster.node(1);
        TestNode.Reply push = node.send(HttpRequest.newBuilder(node.uri("/cluster/push"))
                .header("X-CacheGrid-Internal", "replica").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PUSH)));
        assertTrue(push.error(403).getString("detail").contains("X-CacheGrid-Signature"), push.body());
        TestNode.Reply put = node.send(HttpRequest.newBuilder(node.uri("/cache/unsigned"))
                .header("X-CacheGrid-Internal", "replica").header("X-CacheGrid-Replica-Version", "5")
                .PUT(HttpRequest.BodyPublishers.ofString("1")));
        put.error(403);
        assertNull(node.server().engine().peek("pushed"));
        assertNull(node.server().engine().peek("unsigned"));
    }

    @Test
    void aForgedSignatureIsRefused() {
        TestNode node = cluster.node(1);
        RequestSigner wrong = new RequestSigner(ClusterSecret.of("another secret of the same length"));
        signed(node, wrong, "POST", "/cluster/push", PUSH, PUSH).error(403);
        TestNode.Reply garbage = node.send(HttpRequest.newBuilder(node.uri("/cache/forged"))
                .header("X-CacheGrid-Internal", "replica")
                .header(RequestSigner.HEADER.defaultCase(), "v1 1 2 3 AAAA AAAA")
                .PUT(HttpRequest.BodyPublishers.ofString("1")));
        garbage.error(403);
        assertNull(node.server().engine().peek("pushed"));
        assertNull(node.server().engine().peek("forged"));
    }

    @Test
    void aReplayedRequestIsRefusedTheSecondTime() {
        TestNode node = cluster.node(2);
        // a key member 2 owns: a replica copy outside its share would be handed over and dropped
        ClusterView view = ((ClusterNode) node.server().cluster()).view();
        String key = java.util.stream.IntStream.range(0, 1_000).mapToObj(n -> "replayed-" + n)
                .filter(k -> view.owners(k).contains(view.self())).findFirst().orElseThrow();
        String path = "/cache/" + key;
        RequestSigner signer = new RequestSigner(ClusterSecret.of(SECRET));
        String header = signer.sign("PUT", path, "\"first\"".getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder once = HttpRequest.newBuilder(node.uri(path))
                .header("X-CacheGrid-Internal", "replica").header("Content-Type", "application/json")
                .header(RequestSigner.HEADER.defaultCase(), header)
                .PUT(HttpRequest.BodyPublishers.ofString("\"first\""));
        assertEquals(200, node.send(once).status());
        assertEquals(200, node.send(HttpRequest.newBuilder(node.uri(path))
                .header("X-CacheGrid-Internal", "replica").header("Content-Type", "application/json")
                .header(RequestSigner.HEADER.defaultCase(), signer.sign("PUT", path,
                        "\"second\"".getBytes(StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.ofString("\"second\""))).status());
        // the first request, recorded and sent again, would put "first" back
        assertTrue(node.send(once).error(403).getString("detail").contains("replay"));
        assertEquals("\"second\"", new String(node.server().engine().peek(key),
                StandardCharsets.UTF_8));
    }

    @Test
    void aStaleSignatureAndABodySwappedUnderAValidSignatureAreRefused() {
        TestNode node = cluster.node(0);
        RequestSigner late = new RequestSigner(ClusterSecret.of(SECRET), () -> System.currentTimeMillis() - 60_000,
                42);
        assertTrue(signed(node, late, "POST", "/cluster/push", PUSH, PUSH).error(403).getString("detail")
                .contains("timestamp"));
        RequestSigner signer = new RequestSigner(ClusterSecret.of(SECRET));
        String other = PUSH.replace("pushed", "swapped");
        TestNode.Reply swapped = signed(node, signer, "POST", "/cluster/push", other, PUSH);
        assertTrue(swapped.error(403).getString("detail").contains("body"), swapped.body());
        assertNull(node.server().engine().peek("pushed"));
        assertNull(node.server().engine().peek("swapped"));
        // the same request signed for its own body is accepted: the refusals above were the signature's doing
        assertEquals(200, signed(node, signer, "POST", "/cluster/push", other, other).status());
        assertTrue(node.server().engine().peek("swapped") != null);
    }

    @Test
    void aNodeWithAnotherSecretCannotJoin() {
        try (PortReservation port = new PortReservation()) {
            String peers = cluster.address(0) + "," + cluster.address(1) + "," + cluster.address(2)
                    + ",127.0.0.1:" + port.port();
            TestNode outsider = TestNode.start(port.port(), Map.of("CACHEGRID_PEERS", peers,
                    "CACHEGRID_CLUSTER_SECRET", "not the cluster's secret at all", "CACHEGRID_NODE_ID", "outsider",
                    "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25"));
            try {
                // it had its whole join timeout to find the members; give merges a few rounds more
                long until = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < until) {
                    assertEquals(1, LocalCluster.membersUp(outsider), outsider.get("/cluster").body());
                    assertEquals(3, LocalCluster.membersUp(cluster.node(0)));
                    sleep(200);
                }
            } finally {
                outsider.close();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
