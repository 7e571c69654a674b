package io.cachegrid.cluster;

import java.net.http.HttpRequest;
import java.util.Map;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import io.cachegrid.api.CacheService;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /cluster/push} checks every copy like a client's write (issue 10: a request marked internal stored an
 * empty key, a 5,000-character key, a ttl of 1e300 and values over the limit): a request with any bad item is
 * refused whole with 400 and stores nothing; a good one stores its copies, tombstones included.
 */
class PushValidationTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        try (PortReservation port = new PortReservation()) {
            int p = port.port();
            port.close();
            node = TestNode.start(p, Map.of("CACHEGRID_PEERS", "127.0.0.1:" + p, "CACHEGRID_MAX_VALUE_BYTES", "1000"));
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static TestNode.Reply push(String items) {
        return node.send(HttpRequest.newBuilder(node.uri(ClusterService.PUSH_PATH))
                .header("Content-Type", "application/json")
                .header(CacheService.INTERNAL_HEADER, "x") // any value marks a member's request
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"key\":\"good\",\"value\":1,\"ttl\":null,"
                        + "\"version\":\"1000\"}," + items + "]}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"key\":\"\",\"value\":1,\"ttl\":null,\"version\":\"5\"}",
            "{\"key\":\"LONG\",\"value\":1,\"ttl\":null,\"version\":\"5\"}",
            "{\"key\":\"k\",\"value\":1,\"ttl\":1e300,\"version\":\"5\"}",
            "{\"key\":\"k\",\"value\":1,\"ttl\":0,\"version\":\"5\"}",
            "{\"key\":\"k\",\"value\":1,\"ttl\":-1,\"version\":\"5\"}",
            "{\"key\":\"k\",\"value\":\"BIG\",\"ttl\":null,\"version\":\"5\"}",
            "{\"key\":\"k\",\"value\":1,\"ttl\":null,\"version\":\"0\"}",
            "{\"key\":\"k\",\"value\":1,\"ttl\":null}",
            "{\"key\":\"k\",\"value\":1,\"ttl\":null,\"version\":\"x\"}",
            "{\"key\":\"k\",\"tombstone\":true,\"version\":\"5\"}",
            "{\"key\":\"k\",\"tombstone\":true,\"grace\":0,\"version\":\"5\"}",
            "{\"key\":7,\"value\":1,\"ttl\":null,\"version\":\"5\"}"})
    void aBadItemRefusesTheWholePush(String item) {
        String bad = item.replace("LONG", "k".repeat(5000)).replace("\"BIG\"", "\"" + "v".repeat(1000) + "\"");
        TestNode.Reply reply = push(bad);
        // a value over the limit is refused as a client's would be (413); anything else is a 400 naming the item
        JsonObject error = reply.error(item.contains("BIG") ? 413 : 400);
        assertFalse(error.getString("detail").isEmpty(), reply.body());
        assertNull(node.server().engine().peek("good"), "nothing of a refused push is stored");
        assertNull(node.server().engine().peek("k"));
        assertEquals(0, node.server().engine().size());
    }

    @Test
    void aGoodPushStoresItsCopiesAndTombstones() {
        long base = node.server().engine().versionClock().current() + 1_000_000;
        TestNode.Reply reply = push("{\"key\":\"k\",\"value\":{\"a\":1},\"ttl\":30,\"tags\":[\"t\"],\"version\":\""
                + (base + 1) + "\"},{\"key\":\"gone\",\"tombstone\":true,\"grace\":60,\"version\":\"" + (base + 2)
                + "\"}");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(3, reply.json().getInt("stored"), reply.body());
        assertEquals("{\"a\":1}", new String(node.server().engine().peek("k")));
        assertEquals(base + 2, node.server().engine().tombstoneVersion("gone"));
        long grace = node.server().engine().versionOf("gone").remainingNanos();
        assertTrue(grace > 0 && grace <= 60_000_000_000L, "the pushed grace period is kept: " + grace);
        node.server().engine().clear();
    }
}
