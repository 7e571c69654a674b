package io.cachegrid.cluster;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import io.cachegrid.Concurrently;
import io.cachegrid.TestNode;
import io.cachegrid.engine.Stored;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 11 in a cluster of three real members (R=2) on loopback: counters and conditional writes are decided on the
 * key's primary whichever member a client talks to, so increments through all members add up exactly and each
 * compare-and-set round has one winner; replicated writes carry their tags; tag invalidation through one member
 * reaches every member; listing a tag through any member gives every key once.
 */
class ClusterTagsCountersTest {

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3);

    @BeforeEach
    void clearAll() {
        cluster.running().forEach(node -> node.server().engine().clear());
    }

    private static String path(String key) {
        return "/cache/" + KeyPaths.encode(key);
    }

    @Test
    void incrementsThroughAllMembersAddUpExactly() throws Exception {
        int threads = 12;
        int each = 100;
        String key = "hits/total";
        Concurrently.run(threads, t -> {
            TestNode via = cluster.node(t % 3);
            for (int i = 0; i < each; i++) {
                TestNode.Reply reply = via.post(path(key) + "/incr", "");
                assertEquals(200, reply.status(), reply.body());
            }
        });
        String expected = String.valueOf(threads * each);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected, cluster.node(i).get(path(key)).json().get("value").toString(), "through node " + i);
        }
        assertEquals(2, cluster.copies(key));
        for (TestNode node : cluster.running()) {
            byte[] copy = node.server().engine().peek(key);
            if (copy != null) {
                assertEquals(expected, new String(copy, java.nio.charset.StandardCharsets.UTF_8), "every copy");
            }
        }
        assertEquals(threads * each - 5L, cluster.node(1).post(path(key) + "/decr?by=5", "").json()
                .getJsonNumber("value").longValue());
    }

    @Test
    void everyMemberShowsTheSameVersionAndAnswers304() {
        String etag = cluster.node(0).put(path("doc") + "?tags=docs", "{\"v\":1}").etag();
        assertNotNull(etag);
        for (int i = 0; i < 3; i++) {
            TestNode.Reply read = cluster.node(i).get(path("doc"));
            assertEquals(etag, read.etag(), "ETag through node " + i);
            TestNode.Reply notModified = cluster.node(i).send(HttpRequest.newBuilder(cluster.node(i).uri(path("doc")))
                    .header("If-None-Match", etag).GET());
            assertEquals(304, notModified.status(), "through node " + i + ": " + notModified.body());
            assertEquals(etag, notModified.etag());
        }
    }

    @Test
    void compareAndSetThroughSeveralMembersHasOneWinnerPerRound() throws Exception {
        int threads = 6;
        int rounds = 15;
        String key = "cas-key";
        assertEquals(200, cluster.node(0).put(path(key), "0").status());
        AtomicInteger[] winners = new AtomicInteger[rounds];
        for (int r = 0; r < rounds; r++) {
            winners[r] = new AtomicInteger();
        }
        CyclicBarrier read = new CyclicBarrier(threads);
        CyclicBarrier done = new CyclicBarrier(threads);
        Concurrently.run(threads, t -> {
            TestNode via = cluster.node(t % 3);
            for (int r = 0; r < rounds; r++) {
                String etag = via.get(path(key)).etag();
                read.await();
                TestNode.Reply reply = via.send(HttpRequest.newBuilder(via.uri(path(key)))
                        .header("Content-Type", "application/json").header("If-Match", etag)
                        .PUT(HttpRequest.BodyPublishers.ofString(String.valueOf(r + 1))));
                if (reply.status() == 200) {
                    winners[r].incrementAndGet();
                } else {
                    reply.error(412);
                }
                done.await();
            }
        });
        for (int r = 0; r < rounds; r++) {
            assertEquals(1, winners[r].get(), "winners of round " + r);
        }
        assertEquals(String.valueOf(rounds), cluster.node(2).get(path(key)).json().get("value").toString());
    }

    @Test
    void setIfAbsentThroughSeveralMembersHasOneWinner() throws Exception {
        int threads = 9;
        AtomicInteger won = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        Concurrently.run(threads, t -> {
            TestNode via = cluster.node(t % 3);
            start.await();
            TestNode.Reply reply = via.send(HttpRequest.newBuilder(via.uri(path("leader")))
                    .header("Content-Type", "application/json").header("If-None-Match", "*")
                    .PUT(HttpRequest.BodyPublishers.ofString(String.valueOf(t))));
            if (reply.status() == 200) {
                won.incrementAndGet();
            } else {
                reply.error(412);
            }
        });
        assertEquals(1, won.get());
        assertEquals(2, cluster.copies("leader"));
    }

    @Test
    void tagInvalidationThroughOneMemberReachesEveryMember() {
        List<String> tagged = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String key = "page/" + i;
            tagged.add(key);
            TestNode via = cluster.node(i % 3);
            TestNode.Reply reply = switch (i % 3) {
                case 0 -> via.put(path(key) + "?tags=user:42,pages", "\"html " + i + "\"");
                case 1 -> via.post("/cache", "{\"key\":\"" + key + "\",\"value\":" + i + ",\"tags\":[\"user:42\"]}");
                default -> via.post("/cache/batch/set", "{\"items\":{\"" + key + "\":" + i + "},\"item_tags\":{\""
                        + key + "\":[\"user:42\"]}}");
            };
            assertEquals(200, reply.status(), reply.body());
        }
        for (int i = 0; i < 10; i++) {
            cluster.node(i % 3).put(path("keep/" + i) + "?tags=user:7", String.valueOf(i));
        }
        for (String key : tagged) {
            assertEquals(2, cluster.copies(key), key);
            for (TestNode node : cluster.running()) {
                Stored copy = node.server().engine().peekStored(key);
                if (copy != null) {
                    assertFalse(copy.tags().isEmpty(), "a replicated write carries its tags: " + key);
                    assertEquals("user:42", copy.tags().getFirst());
                }
            }
        }

        // listing through any member: every tagged key once, in pages that fit together
        for (int i = 0; i < 3; i++) {
            JsonObject all = cluster.node(i).get("/tags/user:42?limit=1000").json();
            assertEquals(30, all.getInt("total"), "through node " + i);
            assertEquals(new HashSet<>(tagged), new HashSet<>(strings(all)));
            Set<String> paged = new HashSet<>();
            for (int offset = 0; offset < 30; offset += 7) {
                JsonObject page = cluster.node(i).get("/tags/user:42?offset=" + offset + "&limit=7").json();
                assertEquals(30, page.getInt("total"));
                assertEquals(Math.min(7, 30 - offset), page.getInt("returned"));
                paged.addAll(strings(page));
            }
            assertEquals(new HashSet<>(tagged), paged, "pages through node " + i);
        }

        JsonObject removed = cluster.node(1).delete("/tags/user:42").json();
        assertEquals("user:42", removed.getString("tag"));
        assertEquals(60, removed.getInt("items_removed"), "30 keys, 2 copies each");
        for (String key : tagged) {
            assertEquals(0, cluster.copies(key), key);
            for (int i = 0; i < 3; i++) {
                assertFalse(cluster.node(i).get(path(key)).json().getBoolean("exists"), key + " through node " + i);
            }
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(2, cluster.copies("keep/" + i), "untagged by user:42 stays");
        }
        assertEquals(0, cluster.node(2).get("/tags/user:42").json().getInt("total"));
        assertEquals(0, cluster.node(0).get("/tags/pages").json().getInt("total"));
        assertEquals(10, cluster.node(0).get("/tags/user:7").json().getInt("total"));
    }

    @Test
    void refusalsArePassedOnFromTheOwner() {
        cluster.node(0).put(path("text"), "\"abc\"");
        for (int i = 0; i < 3; i++) {
            cluster.node(i).post(path("text") + "/incr", "").error(409);
            cluster.node(i).send(HttpRequest.newBuilder(cluster.node(i).uri(path("text")))
                    .header("If-Match", "\"1\"").DELETE()).error(412);
            cluster.node(i).get("/tags/a%2Cb").error(400);
            cluster.node(i).delete("/tags/" + "t".repeat(65)).error(400);
            cluster.node(i).get("/tags/t?limit=0").error(400);
            cluster.node(i).post("/cache/batch/set", "{\"items\":{\"probe\":1},\"tags\":[\"\"]}").error(400);
            cluster.node(i).post("/cache", "{\"key\":\"probe\",\"value\":1,\"tags\":[\"a,b\"]}").error(400);
        }
        assertEquals(0, cluster.copies("probe"));
        assertNull(cluster.node(1).get(path("probe")).etag());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static List<String> strings(JsonObject page) {
        return page.getJsonArray("keys").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
