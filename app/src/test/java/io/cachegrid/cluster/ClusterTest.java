package io.cachegrid.cluster;

import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real members, R=2, on loopback: any member serves any key, each key lives on exactly two members, batches
 * and fan-outs merge, and the loss of a member loses nothing. The member kill runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    /** Keys that exercise the path encoding: slash, space, query and fragment marks, dots, non-Latin text. */
    private static final List<String> ODD_KEYS = List.of("a/b c?d", "50%#x", ".", "..", "ключ", "emoji-😀", "+plus");

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3);

    @BeforeEach
    void clearAll() {
        cluster.running().forEach(node -> node.server().engine().clear());
    }

    private static String path(String key) {
        return "/cache/" + KeyPaths.encode(key);
    }

    private static List<String> keys(String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i);
        }
        keys.addAll(ODD_KEYS);
        return keys;
    }

    @Test
    @Order(1)
    void everyMemberSeesTheOthersUp() {
        for (int i = 0; i < 3; i++) {
            JsonObject view = cluster.node(i).get("/cluster").json();
            assertEquals("node-" + i, view.getString("node_id"));
            assertEquals(cluster.address(i), view.getString("self"));
            assertEquals(2, view.getInt("replication_factor"));
            assertEquals(ClusterSettings.RING_VNODES, view.getInt("ring_vnodes"));
            assertEquals(3, view.getJsonArray("members").size());
            for (var m : view.getJsonArray("members")) {
                JsonObject member = m.asJsonObject();
                assertEquals("up", member.getString("status"));
                assertEquals(member.getString("address").equals(cluster.address(i)), member.getBoolean("self"));
            }
        }
    }

    @Test
    @Order(2)
    void aKeyWrittenThroughAnyMemberIsReadThroughEveryMemberAndHeldTwice() {
        List<String> keys = keys("user:", 30);
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            TestNode.Reply put = cluster.node(i % 3).put(path(key) + "?ttl=300", "{\"n\": " + i + "}");
            assertEquals(200, put.status(), put.body());
            assertEquals(key, put.json().getString("key"));
            assertEquals(300, put.json().getInt("ttl"));
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            assertEquals(2, cluster.copies(key), "copies of " + key); // replication is synchronous
            for (int n = 0; n < 3; n++) {
                TestNode.Reply get = cluster.node(n).get(path(key));
                assertEquals(200, get.status(), get.body());
                assertEquals("{\"n\": " + i + "}", valueText(get.body()), "value of " + key + " via node " + n);
                assertTrue(get.json().getBoolean("hit"));
            }
            for (TestNode holder : cluster.running()) {
                long ttl = holder.server().engine().ttlRemainingNanos(key);
                assertTrue(ttl == -2 || ttl > 290e9, "replica keeps the ttl: " + ttl);
            }
        }
    }

    @Test
    @Order(3)
    void anAbsoluteFormRequestIsRoutedByItsPathToTheKeysOwners() throws Exception {
        for (int i = 0; i < 12; i++) {
            String key = "absolute:" + i;
            String body = "{\"n\": " + i + "}";
            String request = "PUT http://cachegrid.example/cache/" + KeyPaths.encode(key) + " HTTP/1.1\r\n"
                    + "Host: cachegrid.example\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), cluster.node(i % 3).port())) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
            assertEquals(2, cluster.copies(key), "copies of " + key + " (held by its owners, not where it arrived)");
            for (int n = 0; n < 3; n++) {
                assertEquals(body, valueText(cluster.node(n).get(path(key)).body()), key + " via node " + n);
            }
        }
    }

    @Test
    @Order(3)
    void postAndDeleteGoToTheOwnersWhereverTheyArrive() {
        for (int i = 0; i < 20; i++) {
            String key = "post:" + i;
            TestNode.Reply post = cluster.node(i % 3).post("/cache", "{\"key\": \"" + key + "\", \"value\": [" + i
                    + "], \"ttl\": 60}");
            assertEquals(200, post.status(), post.body());
            assertEquals(60, post.json().getInt("ttl"));
            assertEquals(2, cluster.copies(key));
            TestNode.Reply entry = cluster.node((i + 1) % 3).get("/admin/entry/" + KeyPaths.encode(key));
            assertTrue(entry.json().getBoolean("exists"), entry.body());
            TestNode.Reply delete = cluster.node((i + 2) % 3).delete(path(key));
            assertEquals(200, delete.status(), delete.body());
            assertTrue(delete.json().getBoolean("deleted"));
            assertEquals(0, cluster.copies(key));
            assertEquals(false, cluster.node(i % 3).get(path(key)).json().getBoolean("exists"));
        }
    }

    @Test
    @Order(4)
    void refusalsComeBackFromTheOwnerUnchanged() {
        for (int n = 0; n < 3; n++) {
            cluster.node(n).put(path("bad-ttl-" + n) + "?ttl=-1", "1").error(400);
            cluster.node(n).put(path("bad-json-" + n), "{oops").error(400);
            cluster.node(n).post("/cache", "{\"key\": \"k\"}").error(400);
            cluster.node(n).post("/cache", "{\"key\": \"k\", \"value\": 1, \"ttl\": \"soon\"}").error(400);
            cluster.node(n).post("/cache/batch/set", "{\"items\": {\"a\": 1, \"\": 2}}").error(400);
            cluster.node(n).post("/cache/batch/get", "{\"keys\": []}").error(400);
            cluster.node(n).get("/admin/keys?limit=0").error(400);
            cluster.node(n).delete("/cache").error(400);
            TestNode.Reply wrongType = cluster.node(n).send(HttpRequest.newBuilder(cluster.node(n).uri(path("t" + n)))
                    .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("1")));
            assertEquals(415, wrongType.status(), wrongType.body());
        }
        assertEquals(0, cluster.running().stream().mapToLong(n -> n.server().engine().size()).sum(),
                "a refused request stores nothing anywhere");
    }

    @Test
    @Order(5)
    void batchesAreSplitByOwnerAndMerged() {
        List<String> keys = keys("batch:", 40);
        StringBuilder items = new StringBuilder("{\"items\": {");
        for (int i = 0; i < keys.size(); i++) {
            items.append(i == 0 ? "" : ", ").append('"').append(keys.get(i)).append("\": ").append(i);
        }
        TestNode.Reply set = cluster.node(1).post("/cache/batch/set", items.append("}, \"ttl\": 120}").toString());
        assertEquals(200, set.status(), set.body());
        assertEquals(keys.size(), set.json().getInt("items_requested"));
        assertEquals(keys.size(), set.json().getInt("items_set"));
        assertEquals(120, set.json().getInt("ttl"));
        keys.forEach(key -> assertEquals(2, cluster.copies(key), key));

        List<String> asked = new ArrayList<>(keys);
        asked.add("missing-1");
        asked.add(keys.get(0)); // a duplicate
        StringBuilder get = new StringBuilder("{\"keys\": [");
        for (int i = 0; i < asked.size(); i++) {
            get.append(i == 0 ? "" : ", ").append(jsonString(asked.get(i)));
        }
        for (int n = 0; n < 3; n++) {
            TestNode.Reply reply = cluster.node(n).post("/cache/batch/get", get + "]}");
            assertEquals(200, reply.status(), reply.body());
            JsonObject body = reply.json();
            assertEquals(asked.size(), body.getInt("requested_keys"));
            assertEquals(keys.size(), body.getInt("found_keys"));
            JsonObject results = body.getJsonObject("results");
            assertEquals(keys.size() + 1, results.size());
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(i, results.getJsonObject(keys.get(i)).getInt("value"), keys.get(i));
            }
            assertEquals(false, results.getJsonObject("missing-1").getBoolean("exists"));
        }
    }

    @Test
    @Order(6)
    void keyListingAndClearReachEveryMember() {
        List<String> keys = keys("list:", 50);
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(200, cluster.node(i % 3).put(path(keys.get(i)), "true").status());
        }
        JsonObject all = cluster.node(0).get("/admin/keys?limit=1000").json();
        assertEquals(keys.size(), all.getInt("total_found"));
        assertEquals(keys.size(), all.getInt("returned"));
        JsonObject some = cluster.node(1).get("/admin/keys?pattern=list:&limit=7").json();
        assertEquals(7, some.getInt("returned"));
        assertEquals("list:", some.getString("pattern"));
        assertTrue(some.getInt("total_found") >= 50, some.toString());

        TestNode.Reply clear = cluster.node(2).delete("/cache?confirm=true");
        assertEquals(200, clear.status(), clear.body());
        assertEquals(2 * keys.size(), clear.json().getInt("items_removed"), "copies included");
        cluster.running().forEach(node -> assertEquals(0, node.server().engine().size()));
    }

    @Test
    @Order(7)
    void stackedLocalRoutesStayPerNode() {
        for (int n = 0; n < 3; n++) {
            assertEquals("node-" + n, cluster.node(n).get("/stats").json().getString("node_id"));
            assertEquals("node-" + n, cluster.node(n).get("/health").json().getString("node_id"));
        }
        TestNode.Reply push = cluster.node(0).post("/cluster/push", "{\"items\": []}");
        assertEquals(403, push.status(), "only members may push");
    }

    @Test
    @Order(100)
    void losingAMemberLosesNoKeyAndCopiesAreRestored() {
        List<String> keys = keys("survive:", 60);
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(200, cluster.node(i % 3).put(path(keys.get(i)), "\"v" + i + "\"").status());
        }
        cluster.kill(2);
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < keys.size(); i++) {
                TestNode.Reply get = cluster.node(n).get(path(keys.get(i)));
                assertEquals(200, get.status(), get.body());
                assertEquals("\"v" + i + "\"", get.json().get("value").toString(), keys.get(i) + " via node " + n
                        + ": " + get.body() + "; held by " + holders(keys.get(i)));
            }
        }
        LocalCluster.await(() -> keys.stream().allMatch(key -> cluster.copies(key) == 2),
                () -> "every key on both survivors; short: " + keys.stream().filter(k -> cluster.copies(k) < 2)
                        .toList());
        cluster.awaitMembersUp(0, 2);
        cluster.awaitMembersUp(1, 2);
        assertEquals(200, cluster.node(0).put(path("after"), "1").status());
        assertEquals(2, cluster.copies("after"));
    }

    private static List<Integer> holders(String key) {
        List<Integer> holders = new ArrayList<>();
        for (int n = 0; n < cluster.size(); n++) {
            if (cluster.node(n) != null && cluster.node(n).server().engine().peek(key) != null) {
                holders.add(n);
            }
        }
        return holders;
    }

    private static String valueText(String body) {
        int start = body.indexOf("\"value\":") + "\"value\":".length();
        int end = body.indexOf(",\"exists\"");
        return body.substring(start, end);
    }

    private static String jsonString(String text) {
        return jakarta.json.Json.createValue(text).toString();
    }
}
