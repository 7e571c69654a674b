package io.cachegrid.cluster;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cachegrid.TestNode;
import io.cachegrid.engine.CacheEngine;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing and validation bugs of issue 10, each on a real three-member cluster: a batch the router let through
 * must be one every owner takes (same weighing), internal routes validate like public ones, a key that UTF-8 cannot
 * spell is carried exactly through a member that does not own it, and {@code ?local=true} answers for one member.
 */
class ClusterValidationTest {

    /** Memory small enough that an entry near the limit is easy to build: 1 MiB, the largest value too. */
    private static final long MEMORY = 1024 * 1024;

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3, Map.of(
            "CACHEGRID_MAX_MEMORY_MB", "1", "CACHEGRID_MAX_VALUE_BYTES", String.valueOf(MEMORY)));

    @AfterEach
    void clear() {
        assertEquals(200, cluster.node(0).delete("/cache?confirm=true").status());
    }

    private static String path(String key) {
        return "/cache/" + KeyPaths.encode(key);
    }

    private static String jsonString(String text) {
        return jakarta.json.Json.createValue(text).toString();
    }

    @Test
    void aBatchSetIsWeighedWithItsTtlAndTagsBeforeAnyPartIsStored() {
        // fits the entry limit without a ttl, not with one: the router once weighed it without, sent the parts,
        // and the owners of the big item refused theirs after the others had stored the small items
        String big = "big";
        int length = (int) (MEMORY - CacheEngine.ENTRY_OVERHEAD_BYTES - big.length() - 5);
        String value = "\"" + "x".repeat(length - 2) + "\"";
        StringBuilder body = new StringBuilder("{\"ttl\":60,\"items\":{");
        List<String> small = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            small.add("small-" + i);
            body.append(jsonString("small-" + i)).append(":").append(i).append(',');
        }
        body.append(jsonString(big)).append(':').append(value).append("}}");
        for (int n = 0; n < 3; n++) {
            TestNode.Reply refused = cluster.node(n).post("/cache/batch/set", body.toString());
            assertTrue(refused.error(413).getString("detail").contains("nothing was stored"), refused.body());
            for (String key : small) {
                assertEquals(0, cluster.copies(key), key + " stored although the batch was refused (via node " + n
                        + ")");
            }
        }
        // without the ttl it fits, and every item gets its two copies
        String fits = body.toString().replace("{\"ttl\":60,", "{");
        TestNode.Reply stored = cluster.node(0).post("/cache/batch/set", fits);
        assertEquals(200, stored.status(), stored.body());
        assertEquals(30, stored.json().getInt("items_set"));
        assertEquals(2, cluster.copies(big));
    }

    @Test
    void bodiesAreRefusedByTheRouterExactlyAsByTheServices() {
        TestNode.Reply refused = cluster.node(1).send(HttpRequest.newBuilder(cluster.node(1).uri("/cache/batch/set"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":{\"plain-1\":1,\"plain-2\":2}}")));
        refused.error(415);
        assertEquals(0, cluster.copies("plain-1"));
        assertEquals(0, cluster.copies("plain-2"));
        TestNode.Reply get = cluster.node(2).send(HttpRequest.newBuilder(cluster.node(2).uri("/cache/batch/get"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"keys\":[\"plain-1\"]}")));
        get.error(415); // the router once split it by its own rules, which ignored the type
        TestNode.Reply post = cluster.node(0).post("/cache", "{\"key\":\"posted\",\"value\":1,\"tags\":[\"\"]}");
        assertEquals("invalid tag", post.error(400).getString("error"), "refused where it arrived, as the owner would");
        assertEquals(0, cluster.copies("posted"));
    }

    @Test
    void pushedEntriesObeyTheRulesOfClientWrites() {
        String longKey = "k".repeat(5000);
        String tooLarge = "\"" + "x".repeat((int) MEMORY) + "\"";
        Map<String, Integer> bad = Map.of(
                "{\"key\":\"\",\"value\":1,\"ttl\":null,\"version\":\"5\"}", 400,
                "{\"key\":\"" + longKey + "\",\"value\":1,\"ttl\":null,\"version\":\"5\"}", 400,
                "{\"key\":\"pushed-ttl\",\"value\":1,\"ttl\":1e300,\"version\":\"5\"}", 400,
                "{\"key\":\"pushed-big\",\"value\":" + tooLarge + ",\"ttl\":null,\"version\":\"5\"}", 413,
                "{\"key\":\"pushed-tags\",\"value\":1,\"ttl\":null,\"tags\":[\"a,b\"],\"version\":\"5\"}", 400);
        String good = "{\"key\":\"pushed-ok\",\"value\":1,\"ttl\":null,\"version\":\"5\"}";
        for (Map.Entry<String, Integer> item : bad.entrySet()) {
            TestNode.Reply refused = push(cluster.node(0), "{\"items\":[" + good + "," + item.getKey() + "]}");
            refused.error(item.getValue());
        }
        TestNode node = cluster.node(0);
        for (String key : List.of("", longKey, "pushed-ttl", "pushed-big", "pushed-tags", "pushed-ok")) {
            assertEquals(null, node.server().engine().peek(key), "a refused push stores nothing: " + key.length());
        }
        TestNode.Reply accepted = push(node, "{\"items\":[" + good + "]}");
        assertEquals(200, accepted.status(), accepted.body());
        assertEquals(1, accepted.json().getInt("stored"));
    }

    private static TestNode.Reply push(TestNode node, String body) {
        return node.send(HttpRequest.newBuilder(node.uri("/cluster/push"))
                .header("Content-Type", "application/json").header("X-CacheGrid-Internal", "x")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void aKeyWithALoneSurrogateIsCarriedExactlyThroughAMemberThatDoesNotOwnIt() {
        String lone = "sur\ud800";
        String question = "sur?"; // what UTF-8 encoding makes of it
        assertEquals(200, cluster.node(0).put(path(question), "\"unrelated\"").status());
        for (int n = 0; n < 3; n++) {
            TestNode.Reply stored = cluster.node(n).post("/cache", "{\"key\":\"sur\\ud800\",\"value\":" + n + "}");
            assertEquals(200, stored.status(), stored.body());
            assertEquals(lone, stored.json().getString("key"));
            assertEquals(2, cluster.copies(lone), "both owners hold the key itself (via node " + n + ")");
            for (TestNode node : cluster.running()) {
                byte[] held = node.server().engine().peek(lone);
                assertTrue(held == null || new String(held).equals(String.valueOf(n)), "every copy is the last write");
                byte[] other = node.server().engine().peek(question);
                assertTrue(other == null || new String(other).equals("\"unrelated\""), "\"sur?\" is left alone");
            }
            assertEquals(2, cluster.copies(question));
        }
        JsonObject both = cluster.node(2).post("/cache/batch/get", "{\"keys\":[\"sur\\ud800\",\"sur?\"]}").json();
        assertEquals("2", both.getJsonObject("results").getJsonObject(lone).get("value").toString());
        assertEquals("\"unrelated\"", both.getJsonObject("results").getJsonObject(question).get("value").toString());
    }

    @Test
    void localTrueAnswersForOneMemberAndTheClusterCountsDistinctKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add("local:" + i);
            assertEquals(200, cluster.node(i % 3).put(path("local:" + i), String.valueOf(i)).status());
        }
        long copies = 0;
        for (TestNode node : cluster.running()) {
            JsonObject own = node.get("/admin/keys?local=true&limit=1000").json();
            assertEquals(node.server().engine().size(), own.getInt("total_found"));
            assertEquals(own.getInt("total_found"), own.getJsonArray("keys").size());
            copies += own.getInt("total_found");
            JsonObject stats = node.get("/stats?local=true").json();
            assertEquals(node.server().engine().size(), stats.getInt("current_size"));
        }
        assertEquals(60, copies, "two copies of each key");
        JsonObject all = cluster.node(1).get("/admin/keys?limit=5").json();
        assertEquals(30, all.getInt("total_found"), "distinct keys, not copies");
        assertEquals(5, all.getInt("returned"));

        String key = keys.getFirst();
        for (TestNode node : cluster.running()) {
            boolean holds = node.server().engine().peek(key) != null;
            JsonObject local = node.get("/admin/entry/" + KeyPaths.encode(key) + "?local=true").json();
            assertEquals(holds, local.getBoolean("exists"), "this member's own copy");
            assertTrue(node.get("/admin/entry/" + KeyPaths.encode(key)).json().getBoolean("exists"),
                    "routed to an owner without local=true");
        }
        cluster.node(0).get("/admin/keys?local=maybe").error(400);
        cluster.node(0).get("/admin/entry/x?local=1").error(400);
        cluster.node(0).get("/stats?local=yes").error(400);
        cluster.node(0).get("/admin/keys?limit=0").error(400);
    }

    @Test
    void keyListingCountsDistinctKeysWhenMembersHoldMoreThanOnePage() {
        int total = 2500; // about 1,667 copies on each member: more than the 1,000 a member lists
        for (int from = 0; from < total; from += 1000) {
            StringBuilder body = new StringBuilder("{\"items\":{");
            for (int i = from; i < Math.min(total, from + 1000); i++) {
                body.append(i == from ? "" : ",").append("\"many:").append(i).append("\":").append(i);
            }
            TestNode.Reply stored = cluster.node(from / 1000 % 3).post("/cache/batch/set", body.append("}}").toString());
            assertEquals(200, stored.status(), stored.body());
        }
        JsonObject all = cluster.node(2).get("/admin/keys?pattern=many:&limit=10").json();
        assertEquals(total, all.getInt("total_found"), "distinct keys: each has its two copies");
        assertEquals(10, all.getInt("returned"));
        long copies = cluster.running().stream()
                .mapToLong(node -> node.get("/admin/keys?pattern=many:&local=true").json().getInt("total_found")).sum();
        assertEquals(2L * total, copies);
    }
}
