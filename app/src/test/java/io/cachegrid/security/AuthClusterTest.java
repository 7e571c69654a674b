package io.cachegrid.security;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

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
 * Two members with authentication on: members present their admin token to each other, so forwarding and
 * replication work, while an outsider cannot use the members' internal header or routes.
 */
class AuthClusterTest {

    private static TestNode a;
    private static TestNode b;

    @BeforeAll
    static void start() throws Exception {
        // static peers must be known before start: each port is held until its member listens on it
        PortReservation ra = new PortReservation();
        PortReservation rb = new PortReservation();
        int pa = ra.port();
        int pb = rb.port();
        Map<String, String> env = Map.of("CACHEGRID_PEERS", "127.0.0.1:" + pa + ",127.0.0.1:" + pb,
                "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS, "CACHEGRID_REPLICATION_FACTOR", "1",
                "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25");
        try (ra; rb) {
            a = TestNode.start(pa, env);
            b = TestNode.start(pb, env);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(bothUp(a) && bothUp(b))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("members did not see each other: " + get(a, "/cluster", ADMIN).body());
            }
            Thread.sleep(100);
        }
    }

    private static boolean bothUp(TestNode node) {
        TestNode.Reply reply = get(node, "/cluster", ADMIN);
        return reply.status() == 200 && !reply.body().contains("\"down\"")
                && reply.body().split("\"address\"").length == 3;
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void keysOwnedByTheOtherMemberAreForwardedWithTheMembersToken() {
        // with R=1 about half of these keys live on the other member, so requests are forwarded both ways
        for (int i = 0; i < 20; i++) {
            assertEquals(200, send(a, "PUT", "/cache/k" + i, String.valueOf(i), WRITE).status());
        }
        for (int i = 0; i < 20; i++) {
            TestNode.Reply reply = get(b, "/cache/k" + i, READ);
            assertEquals(200, reply.status(), reply.body());
            assertEquals(String.valueOf(i), reply.json().get("value").toString());
        }
        assertEquals(200, send(b, "POST", "/cache/batch/get", "{\"keys\":[\"k1\",\"k2\",\"k3\"]}", READ).status());
        TestNode.Reply keys = get(a, "/admin/keys?pattern=k", ADMIN);
        assertEquals(20, keys.json().getInt("total_found"), keys.body());
        // the client's role is checked where the request arrives: a reader cannot write through a member
        send(b, "PUT", "/cache/k1", "0", READ).error(403);
    }

    @Test
    void outsidersCannotUseTheInternalPaths() {
        send(a, "POST", "/cluster/push", "{\"items\":[{\"key\":\"x\",\"value\":1,\"ttl\":null}]}", null).error(401);
        TestNode.Reply writer = a.send(HttpRequest.newBuilder(a.uri("/cluster/push"))
                .header("X-CacheGrid-Internal", "replica").header("Authorization", "Bearer " + WRITE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[]}")));
        writer.error(403);
        get(a, "/cluster", READ).error(403);
        assertTrue(get(a, "/cluster", ADMIN).status() == 200);
    }
}
