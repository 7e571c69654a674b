package io.cachegrid.api;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import io.cachegrid.Concurrently;
import io.cachegrid.TestNode;
import io.cachegrid.TestNode.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 over HTTP on one node: versions as ETags, conditional reads and writes, counters, tags and their
 * invalidation, each through the API of a real server, and the races that must have exactly one winner (or lose no
 * update) with many client threads.
 */
class TagsCountersConditionsTest {

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass();

    @BeforeEach
    void empty() {
        assertEquals(200, node.delete("/cache?confirm=true").status());
    }

    // ---- versions and ETags --------------------------------------------------------------------------------

    @Test
    void everyWriteAndHitCarriesTheVersionAsETag() {
        Reply put = node.put("/cache/v", "1");
        String etag = put.etag();
        assertNotNull(etag);
        assertTrue(etag.matches("\"[0-9]+\""), etag);
        assertEquals(etag, "\"" + put.json().getString("version") + "\"");
        assertEquals(etag, node.get("/cache/v").etag());
        assertNull(node.get("/cache/absent").etag(), "a miss has no version");

        Reply again = node.put("/cache/v", "2");
        assertNotEquals(etag, again.etag(), "a write gives a new version");
        assertTrue(Long.parseLong(unquote(again.etag())) > Long.parseLong(unquote(etag)));
        Reply post = node.post("/cache", "{\"key\":\"v\",\"value\":3}");
        assertEquals(post.etag(), "\"" + post.json().getString("version") + "\"");
        assertEquals(post.etag(), node.get("/cache/v").etag());
    }

    @Test
    void getWithIfNoneMatchAnswers304WithoutABodyAndCountsAHit() {
        String etag = node.put("/cache/page", "{\"html\":\"<p>\"}").etag();
        long hits = node.get("/stats").json().getJsonNumber("hits").longValue();
        for (String header : List.of(etag, "W/" + etag, "\"1\", " + etag, "*")) {
            Reply notModified = get("/cache/page", "If-None-Match", header);
            assertEquals(304, notModified.status(), header);
            assertEquals("", notModified.body());
            assertEquals(etag, notModified.etag());
        }
        assertEquals(hits + 4, node.get("/stats").json().getJsonNumber("hits").longValue());

        Reply stale = get("/cache/page", "If-None-Match", "\"1\"");
        assertEquals(200, stale.status());
        assertEquals("{\"html\":\"<p>\"}", stale.json().get("value").toString());
        Reply miss = get("/cache/nothing", "If-None-Match", "*");
        assertEquals(200, miss.status());
        assertFalse(miss.json().getBoolean("exists"));
    }

    // ---- conditional writes --------------------------------------------------------------------------------

    @Test
    void ifMatchIsCompareAndSet() {
        String v1 = node.put("/cache/cas", "\"one\"").etag();
        long sets = sets();
        Reply won = put("/cache/cas", "\"two\"", "If-Match", v1);
        assertEquals(200, won.status(), won.body());
        String v2 = won.etag();
        assertNotEquals(v1, v2);

        Reply lost = put("/cache/cas", "\"three\"", "If-Match", v1);
        JsonObject error = lost.error(412);
        assertEquals("precondition failed", error.getString("error"));
        assertEquals("\"two\"", node.get("/cache/cas").json().get("value").toString(), "a refused write changes nothing");
        assertEquals(v2, node.get("/cache/cas").etag());
        assertEquals(sets + 1, sets(), "a refused conditional write counts no set");

        put("/cache/absent", "1", "If-Match", v1).error(412);
        put("/cache/absent", "1", "If-Match", "*").error(412);
        assertEquals(200, put("/cache/cas", "\"four\"", "If-Match", "*").status());
        assertEquals(200, put("/cache/cas", "\"five\"", "If-Match", "\"1\", " + node.get("/cache/cas").etag())
                .status(), "a list matches any of its versions");
        put("/cache/cas", "1", "If-Match", "W/" + node.get("/cache/cas").etag()).error(412); // strong comparison

        Reply post = send(HttpRequest.newBuilder(node.uri("/cache")).header("Content-Type", "application/json")
                .header("If-Match", v1).POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"cas\",\"value\":0}")));
        post.error(412);
        String current = node.get("/cache/cas").etag();
        Reply posted = send(HttpRequest.newBuilder(node.uri("/cache")).header("Content-Type", "application/json")
                .header("If-Match", current).POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"cas\",\"value\":6}")));
        assertEquals(200, posted.status(), posted.body());
        assertEquals("6", node.get("/cache/cas").json().get("value").toString());
    }

    @Test
    void ifNoneMatchStarIsSetIfAbsent() {
        assertEquals(200, put("/cache/once", "1", "If-None-Match", "*").status());
        put("/cache/once", "2", "If-None-Match", "*").error(412);
        assertEquals("1", node.get("/cache/once").json().get("value").toString());
        Reply post = send(HttpRequest.newBuilder(node.uri("/cache")).header("Content-Type", "application/json")
                .header("If-None-Match", "*").POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"once\",\"value\":3}")));
        post.error(412);
    }

    @Test
    void deleteWithIfMatchDeletesOnlyThatVersion() {
        String v1 = node.put("/cache/d", "1").etag();
        String v2 = node.put("/cache/d", "2").etag();
        send(HttpRequest.newBuilder(node.uri("/cache/d")).header("If-Match", v1).DELETE()).error(412);
        assertTrue(node.get("/cache/d").json().getBoolean("exists"));
        Reply deleted = send(HttpRequest.newBuilder(node.uri("/cache/d")).header("If-Match", v2).DELETE());
        assertEquals(200, deleted.status(), deleted.body());
        assertTrue(deleted.json().getBoolean("deleted"));
        assertFalse(node.get("/cache/d").json().getBoolean("exists"));
        send(HttpRequest.newBuilder(node.uri("/cache/d")).header("If-Match", "*").DELETE()).error(412);
    }

    // ---- counters --------------------------------------------------------------------------------------------

    @Test
    void countersCreateAtZeroAddAndSubtract() {
        long sets = sets();
        Reply first = node.post("/cache/hits/incr", "");
        assertEquals(200, first.status(), first.body());
        JsonObject body = first.json();
        assertTrue(body.getBoolean("success"));
        assertEquals("hits", body.getString("key"));
        assertEquals(1, body.getJsonNumber("value").longValue());
        assertEquals(first.etag(), "\"" + body.getString("version") + "\"");
        assertEquals(6, node.post("/cache/hits/incr?by=5", "").json().getJsonNumber("value").longValue());
        assertEquals(4, node.post("/cache/hits/decr?by=2", "").json().getJsonNumber("value").longValue());
        assertEquals(3, node.post("/cache/hits/decr", "").json().getJsonNumber("value").longValue());
        assertEquals(-7, node.post("/cache/hits/incr?by=-10", "").json().getJsonNumber("value").longValue());
        Reply read = node.get("/cache/hits");
        assertEquals("-7", read.json().get("value").toString(), "stored as JSON integer text");
        assertEquals(sets + 5, sets(), "one set per counter operation");
        assertEquals(read.etag(), node.get("/cache/hits").etag());

        // keys with slashes and escapes work as anywhere else
        assertEquals(1, node.post("/cache/a%2Fb%20c/incr", "").json().getJsonNumber("value").longValue());
        assertEquals("1", node.get("/cache/a%2Fb%20c").json().get("value").toString());
    }

    @Test
    void counterTtlAppliesOnlyWhenCreated() {
        node.post("/cache/t/incr?ttl=100", "");
        double ttl = node.get("/admin/entry/t").json().getJsonNumber("ttl_remaining_seconds").doubleValue();
        assertTrue(ttl > 90 && ttl <= 100, String.valueOf(ttl));
        node.put("/cache/no-ttl", "5");
        node.post("/cache/no-ttl/incr?ttl=100", "");
        assertTrue(node.get("/admin/entry/no-ttl").json().isNull("ttl_remaining_seconds"));
    }

    @Test
    void counterRefusesNonIntegersAndOverflowWithoutChangingAnything() {
        for (String value : List.of("\"5\"", "1.5", "1e3", "{}", "null", "true", "9223372036854775808")) {
            node.put("/cache/text", value);
            JsonObject error = node.post("/cache/text/incr", "").error(409);
            assertEquals("not an integer", error.getString("error"));
            String stored = node.get("/cache/text").body();
            assertTrue(stored.contains("\"value\":" + value + ","), stored);
        }
        node.put("/cache/max", "9223372036854775807");
        assertEquals("overflow", node.post("/cache/max/incr", "").error(400).getString("error"));
        assertEquals("9223372036854775807", node.get("/cache/max").json().get("value").toString());
        node.put("/cache/min", "-9223372036854775808");
        assertEquals("overflow", node.post("/cache/min/decr", "").error(400).getString("error"));
        assertEquals("-9223372036854775808", node.get("/cache/min").json().get("value").toString());
        assertFalse(node.get("/cache/never").json().getBoolean("exists"));
        node.post("/cache/never/decr?by=-9223372036854775808", "").error(400);
        assertFalse(node.get("/cache/never").json().getBoolean("exists"), "a refused counter creates nothing");
    }

    // ---- tags --------------------------------------------------------------------------------------------------

    @Test
    void tagsAreStoredListedAndInvalidatedExactly() {
        node.put("/cache/page:1?tags=user:42,page", "1");
        node.post("/cache", "{\"key\":\"page:2\",\"value\":2,\"tags\":[\"user:42\"]}");
        node.post("/cache/batch/set", "{\"items\":{\"b1\":1,\"b2\":2,\"b3\":3},\"tags\":[\"batch\"],"
                + "\"item_tags\":{\"b2\":[\"user:42\"]}}");
        node.put("/cache/untagged", "0");
        node.put("/cache/other?tags=user:7", "7");

        JsonObject hit = node.get("/cache/page:1").json();
        assertEquals(List.of("user:42", "page"), strings(hit, "tags"));
        assertFalse(node.get("/cache/untagged").json().containsKey("tags"), "no tags field on an untagged key");
        assertEquals(List.of("batch", "user:42"), strings(node.get("/cache/b2").json(), "tags"));

        JsonObject listed = node.get("/tags/user:42").json();
        assertEquals("user:42", listed.getString("tag"));
        assertEquals(Set.of("page:1", "page:2", "b2"), new HashSet<>(strings(listed, "keys")));
        assertEquals(3, listed.getInt("total"));
        assertEquals(0, listed.getInt("offset"));
        assertEquals(3, listed.getInt("returned"));

        // paging: pages fit together
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 3; offset++) {
            JsonObject page = node.get("/tags/user:42?offset=" + offset + "&limit=1").json();
            assertEquals(1, page.getInt("returned"));
            assertEquals(3, page.getInt("total"));
            paged.addAll(strings(page, "keys"));
        }
        assertEquals(Set.of("page:1", "page:2", "b2"), new HashSet<>(paged));
        assertEquals(0, node.get("/tags/user:42?offset=3").json().getInt("returned"));

        // an overwrite replaces the tags
        node.put("/cache/page:2", "22");
        assertEquals(2, node.get("/tags/user:42").json().getInt("total"));

        long sizeBefore = node.get("/stats").json().getJsonNumber("current_size").longValue();
        JsonObject removed = node.delete("/tags/user:42").json();
        assertTrue(removed.getBoolean("success"));
        assertEquals("user:42", removed.getString("tag"));
        assertEquals(2, removed.getInt("items_removed"));
        assertEquals(sizeBefore - 2, node.get("/stats").json().getJsonNumber("current_size").longValue());
        for (String gone : List.of("page:1", "b2")) {
            assertFalse(node.get("/cache/" + gone).json().getBoolean("exists"), gone);
        }
        for (String kept : List.of("page:2", "b1", "b3", "untagged", "other")) {
            assertTrue(node.get("/cache/" + kept).json().getBoolean("exists"), kept);
        }
        assertEquals(0, node.get("/tags/user:42").json().getInt("total"));
        assertEquals(0, node.delete("/tags/user:42").json().getInt("items_removed"));
        assertEquals(2, node.get("/tags/batch").json().getInt("total"));
    }

    @Test
    void tagsWithAnyCharacterWorkPercentEncoded() {
        node.put("/cache/k?tags=" + "a%2Fb%20%C3%A9,x%26y", "1");
        assertEquals(List.of("a/b é", "x&y"), strings(node.get("/cache/k").json(), "tags"));
        assertEquals(List.of("k"), strings(node.get("/tags/a%2Fb%20%C3%A9").json(), "keys"));
        assertEquals(1, node.delete("/tags/x%26y").json().getInt("items_removed"));
    }

    @Test
    void configuredTagLimitsAreInclusiveAndNamedWhenExceeded() {
        try (TestNode small = TestNode.start(Map.of("CACHEGRID_MAX_TAGS_PER_KEY", "2",
                "CACHEGRID_MAX_TAG_LENGTH", "3"))) {
            assertEquals(200, small.put("/cache/k?tags=abc,%C3%A9%C3%A9%C3%A9", "1").status());
            assertTrue(small.put("/cache/k?tags=a,b,c", "1").error(400).getString("detail")
                    .contains("CACHEGRID_MAX_TAGS_PER_KEY"));
            assertTrue(small.put("/cache/k?tags=abcd", "1").error(400).getString("detail")
                    .contains("CACHEGRID_MAX_TAG_LENGTH"));
            assertTrue(small.get("/tags/abcd").error(400).getString("detail").contains("CACHEGRID_MAX_TAG_LENGTH"));
            assertEquals(List.of("abc", "ééé"), strings(small.get("/cache/k").json(), "tags"));
        }
        try (TestNode none = TestNode.start(Map.of("CACHEGRID_MAX_TAGS_PER_KEY", "0"))) {
            assertEquals(200, none.put("/cache/k", "1").status());
            none.put("/cache/k?tags=a", "1").error(400);
        }
    }

    // ---- races through the API ---------------------------------------------------------------------------

    /** 16 threads × 200 increments through HTTP: no update is lost. */
    @Test
    void concurrentIncrementsLoseNothing() throws Exception {
        int threads = 16;
        int each = 200;
        Concurrently.run(threads, t -> {
            for (int i = 0; i < each; i++) {
                Reply reply = node.post("/cache/counter/incr", "");
                assertEquals(200, reply.status(), reply.body());
            }
        });
        assertEquals(String.valueOf(threads * each), node.get("/cache/counter").json().get("value").toString());
    }

    /** Rounds of compare-and-set: every thread holds the same version, exactly one write wins each round. */
    @Test
    void compareAndSetHasExactlyOneWinnerPerRound() throws Exception {
        int threads = 8;
        int rounds = 25;
        node.put("/cache/race", "0");
        CyclicBarrier read = new CyclicBarrier(threads);
        AtomicInteger[] winners = new AtomicInteger[rounds];
        AtomicInteger[] refused = new AtomicInteger[rounds];
        for (int r = 0; r < rounds; r++) {
            winners[r] = new AtomicInteger();
            refused[r] = new AtomicInteger();
        }
        CyclicBarrier done = new CyclicBarrier(threads);
        Concurrently.run(threads, t -> {
            for (int r = 0; r < rounds; r++) {
                String etag = node.get("/cache/race").etag();
                read.await(); // nobody writes before every thread has read this round's version
                Reply reply = put("/cache/race", "{\"round\":" + r + ",\"thread\":" + t + "}", "If-Match", etag);
                if (reply.status() == 200) {
                    winners[r].incrementAndGet();
                } else {
                    reply.error(412);
                    refused[r].incrementAndGet();
                }
                done.await(); // the round is over before anyone reads again
            }
        });
        for (int r = 0; r < rounds; r++) {
            assertEquals(1, winners[r].get(), "winners of round " + r);
            assertEquals(threads - 1, refused[r].get(), "refused in round " + r);
        }
        assertEquals(rounds, node.get("/cache/race").json().getJsonObject("value").getInt("round") + 1);
    }

    @Test
    void setIfAbsentHasExactlyOneWinner() throws Exception {
        int threads = 12;
        AtomicInteger won = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        Concurrently.run(threads, t -> {
            start.await();
            Reply reply = put("/cache/lock", String.valueOf(t), "If-None-Match", "*");
            if (reply.status() == 200) {
                won.incrementAndGet();
            } else {
                reply.error(412);
            }
        });
        assertEquals(1, won.get());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static long sets() {
        return node.get("/stats").json().getJsonNumber("sets").longValue();
    }

    private static Reply get(String path, String header, String value) {
        return send(HttpRequest.newBuilder(node.uri(path)).header(header, value).GET());
    }

    private static Reply put(String path, String json, String header, String value) {
        return send(HttpRequest.newBuilder(node.uri(path)).header("Content-Type", "application/json")
                .header(header, value).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static Reply send(HttpRequest.Builder request) {
        return node.send(request);
    }

    static List<String> strings(JsonObject json, String field) {
        return json.getJsonArray(field).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static String unquote(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
