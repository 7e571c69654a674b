package io.cachegrid.cluster;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cachegrid.TestNode;
import io.cachegrid.api.CacheService;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.Stored;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anti-entropy between the owners of each key, in a cluster of three real members (R=2, a pass every half second):
 * copies that missed writes, deletes and clears (made by changing one member's engine directly, as a member that was
 * frozen or cut off would have) converge to the newest version on every owner, deleted keys stay deleted, and a
 * clear's epoch refuses older copies and reaches a member that missed it.
 */
class AntiEntropyTest {

    @RegisterExtension
    static final LocalCluster cluster = LocalCluster.forEachClass(3, 3,
            Map.of("CACHEGRID_ANTI_ENTROPY_INTERVAL", "0.5"));

    private static String path(String key) {
        return "/cache/" + KeyPaths.encode(key);
    }

    private static CacheEngine engine(int i) {
        return cluster.node(i).server().engine();
    }

    private static JsonObject antiEntropy(int i) {
        return cluster.node(i).get("/cluster").json().getJsonObject("anti_entropy");
    }

    private static List<Integer> holders(String key) {
        List<Integer> holders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (engine(i).peek(key) != null) {
                holders.add(i);
            }
        }
        return holders;
    }

    /** Waits until every member has completed two passes more than now (so one began after this call), all ok. */
    private static void awaitPasses() {
        long[] before = new long[3];
        for (int i = 0; i < 3; i++) {
            before[i] = antiEntropy(i).getJsonNumber("runs").longValue();
        }
        LocalCluster.await(() -> {
            for (int i = 0; i < 3; i++) {
                JsonObject stats = antiEntropy(i);
                if (stats.getJsonNumber("runs").longValue() < before[i] + 2 || !stats.getBoolean("last_run_ok")
                        || stats.getBoolean("repair_pending")) {
                    return false;
                }
            }
            return true;
        }, () -> "two more anti-entropy passes on every member: " + antiEntropy(0) + antiEntropy(1)
                 + antiEntropy(2));
    }

    private static String read(int through, String key) {
        JsonObject answer = cluster.node(through).get(path(key)).json();
        return answer.getBoolean("exists") ? answer.get("value").toString() : null;
    }

    @Test
    void staleCopiesMissedDeletesAndLostCopiesConvergeToTheNewestOnEveryOwner() {
        awaitPasses();
        long pushedBefore = 0;
        long differingBefore = 0;
        for (int i = 0; i < 3; i++) {
            pushedBefore += antiEntropy(i).getJsonNumber("keys_pushed").longValue()
                            + antiEntropy(i).getJsonNumber("keys_pulled").longValue();
            differingBefore += antiEntropy(i).getJsonNumber("buckets_differing").longValue();
        }
        Map<String, List<Integer>> owners = new HashMap<>();
        for (int k = 0; k < 90; k++) {
            String key = "ae:" + k;
            assertEquals(200, cluster.node(k % 3).put(path(key), "\"v1\"").status());
            owners.put(key, holders(key));
            assertEquals(2, owners.get(key).size(), key);
        }
        Map<String, Long> newest = new HashMap<>();
        for (int k = 0; k < 90; k++) {
            String key = "ae:" + k;
            // alternate which owner got the change, so the stale copy is the primary's for about half the keys
            int fresh = owners.get(key).get(k % 2);
            int stale = owners.get(key).get(1 - k % 2);
            long version = engine(fresh).versionClock().next();
            newest.put(key, version);
            if (k < 30) {          // an overwrite only one owner got
                assertTrue(engine(fresh).putIf(key, "\"v2\"".getBytes(UTF_8), 0, List.of(),
                                               Condition.newer(version)).applied());
            } else if (k < 60) {   // a delete only one owner got: the other could bring the key back
                assertTrue(engine(fresh).deleteVersioned(key, version).applied());
            } else {               // a copy one owner lost (a restart), without a tombstone
                Stored held = engine(stale).peekStored(key);
                assertTrue(engine(stale).discard(key, held.version()));
                newest.put(key, held.version());
            }
        }
        awaitPasses();
        for (int k = 0; k < 90; k++) {
            String key = "ae:" + k;
            long version = newest.get(key);
            for (int owner : owners.get(key)) {
                if (k >= 30 && k < 60) {
                    assertNull(engine(owner).peek(key), key + " came back on node " + owner);
                    assertEquals(version, engine(owner).tombstoneVersion(key), key + " tombstone on node " + owner);
                } else {
                    Stored held = engine(owner).peekStored(key);
                    assertTrue(held != null && held.version() == version, key + " on node " + owner + ": " + held);
                }
            }
            for (int through = 0; through < 3; through++) {
                String expected = k < 30 ? "\"v2\"" : k < 60 ? null : "\"v1\"";
                assertEquals(expected, read(through, key), key + " read through node " + through);
            }
        }
        long pushedAfter = 0;
        long differingAfter = 0;
        for (int i = 0; i < 3; i++) {
            pushedAfter += antiEntropy(i).getJsonNumber("keys_pushed").longValue()
                           + antiEntropy(i).getJsonNumber("keys_pulled").longValue();
            differingAfter += antiEntropy(i).getJsonNumber("buckets_differing").longValue();
        }
        assertTrue(pushedAfter - pushedBefore >= 90, "every diverged key was moved once at least: "
                   + (pushedAfter - pushedBefore));
        assertTrue(differingAfter > differingBefore, "differing buckets were counted");
    }

    @Test
    void aClusterClearIsAnEpochThatRefusesOlderCopiesAndReachesAMemberThatMissedIt() {
        Map<String, Long> versions = new HashMap<>();
        for (int k = 0; k < 30; k++) {
            String key = "clear:" + k;
            assertEquals(200, cluster.node(k % 3).put(path(key), "\"old\"").status());
            versions.put(key, engine(holders(key).getFirst()).peekStored(key).version());
        }
        JsonObject cleared = cluster.node(1).delete("/cache?confirm=true").json();
        assertTrue(cleared.getBoolean("success"), cleared.toString());
        long epoch = engine(1).clearEpoch();
        assertTrue(epoch != 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(epoch, engine(i).clearEpoch(), "one epoch on every member");
            assertEquals(0, engine(i).size());
        }
        // a late replica write of a value written before the clear, to every member: refused
        versions.forEach((key, version) -> {
            for (int i = 0; i < 3; i++) {
                TestNode node = cluster.node(i);
                TestNode.Reply late = node.send(HttpRequest.newBuilder(node.uri(path(key)))
                        .header("Content-Type", "application/json")
                        .header(CacheService.INTERNAL_HEADER, Internal.REPLICA)
                        .header(CacheService.REPLICA_VERSION_HEADER, Long.toUnsignedString(version))
                        .PUT(HttpRequest.BodyPublishers.ofString("\"old\"")));
                assertEquals(200, late.status(), late.body());
            }
            assertEquals(0, cluster.copies(key), key + " came back after the clear");
        });

        // a clear that reached one member only: anti-entropy carries its epoch to the others
        for (int k = 0; k < 30; k++) {
            assertEquals(200, cluster.node(k % 3).put(path("after:" + k), "\"x\"").status());
        }
        // the clear must be newer than every write it is meant to remove: in one JVM another member's clock can be a
        // tick ahead of node 2's, so node 2 first sees the newest version any member holds (as a message would show it)
        for (int k = 0; k < 30; k++) {
            for (int i = 0; i < 3; i++) {
                var held = engine(i).peekStored("after:" + k);
                if (held != null) {
                    engine(2).versionClock().observe(held.version());
                }
            }
        }
        long missed = engine(2).versionClock().next();
        engine(2).clear(missed);
        awaitPasses();
        for (int i = 0; i < 3; i++) {
            assertEquals(missed, engine(i).clearEpoch(), "node " + i + " took the epoch it missed");
        }
        for (int k = 0; k < 30; k++) {
            assertEquals(0, cluster.copies("after:" + k), "after:" + k + " was not pushed back");
            assertFalse(cluster.node(k % 3).get(path("after:" + k)).json().getBoolean("exists"));
        }
        assertEquals(200, cluster.node(0).put(path("after:new"), "\"y\"").status());
        assertEquals("\"y\"", read(2, "after:new"), "writes after the clear are kept");
    }

    @Test
    void anOutsiderCannotUseTheAntiEntropyRoutes() {
        for (String route : List.of(DigestService.DIGEST_PATH, DigestService.VERSIONS_PATH,
                                    DigestService.FETCH_PATH, DigestService.COMPARE_PATH)) {
            TestNode.Reply reply = cluster.node(0).post(route, "{\"keys\": [\"a\"]}");
            assertEquals(403, reply.status(), route + ": " + reply.body());
            assertEquals("forbidden", reply.json().getString("error"));
        }
    }
}
