package io.cachegrid.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What incr/decr, conditional writes and tag calls send, how their answers are read, and which of them are
 * retried, checked against fake servers (no CacheGrid process needed).
 */
class ConditionalRequestsTest {
    private static final String STORED = "{\"success\":true,\"key\":\"k\",\"ttl\":null,\"version\":\"7\"}";
    private static final String PRECONDITION = "{\"error\":\"precondition failed\",\"detail\":\"version differs\"}";

    private static SyncCacheGridClient client(String... hosts) {
        return SyncCacheGridClient.builder().hosts(hosts).maxRetries(2).timeout(Duration.ofMillis(500))
                .backoff(Duration.ofSeconds(30)).build();
    }

    @Test
    void compareAndSetSendsIfMatchAndReadsPreconditionFailedAsFalse() throws Exception {
        try (FakeServer applied = new FakeServer(200, STORED); FakeServer refused = new FakeServer(412, PRECONDITION);
             SyncCacheGridClient yes = client(applied.address()); SyncCacheGridClient no = client(refused.address())) {
            assertTrue(yes.compareAndSet("a/b", Map.of("n", 1), "123", Duration.ofSeconds(2)));
            FakeServer.Received sent = applied.received().getFirst();
            assertEquals("PUT", sent.method());
            assertEquals("/cache/a%2Fb", sent.rawPath());
            assertEquals("ttl=2", sent.rawQuery());
            assertEquals("\"123\"", sent.ifMatch());
            assertNull(sent.ifNoneMatch());
            assertEquals(Json.createObjectBuilder().add("n", 1).build(),
                    Json.createReader(new java.io.StringReader(sent.body())).readValue());
            assertFalse(no.compareAndSet("k", 2, "123"));
            assertEquals(1, refused.received().size(), "a refusal is an answer, not a failure to retry");
            assertThrows(IllegalArgumentException.class, () -> yes.compareAndSet("k", 1, "\"1\""));
        }
    }

    @Test
    void setIfAbsentSendsIfNoneMatchStar() throws Exception {
        try (FakeServer applied = new FakeServer(200, STORED); FakeServer refused = new FakeServer(412, PRECONDITION);
             SyncCacheGridClient yes = client(applied.address()); SyncCacheGridClient no = client(refused.address())) {
            assertTrue(yes.setIfAbsent("k", "v"));
            assertEquals("*", applied.received().getFirst().ifNoneMatch());
            assertNull(applied.received().getFirst().rawQuery());
            assertFalse(no.setIfAbsent("k", "v", Duration.ofMillis(1500)));
            assertEquals("ttl=1.5", refused.received().getFirst().rawQuery());
        }
    }

    @Test
    void getWithVersionReadsTheEtag() throws Exception {
        String hit = "{\"key\":\"k\",\"value\":{\"n\":3},\"exists\":true,\"hit\":true}";
        String miss = "{\"key\":\"k\",\"value\":null,\"exists\":false,\"hit\":false}";
        try (FakeServer strong = new FakeServer(200, hit, Map.of("ETag", "\"281474976710656\""));
             FakeServer weak = new FakeServer(200, hit, Map.of("ETag", "W/\"9\""));
             FakeServer none = new FakeServer(200, hit);
             FakeServer missing = new FakeServer(200, miss, Map.of("ETag", "\"1\""));
             SyncCacheGridClient a = client(strong.address()); SyncCacheGridClient b = client(weak.address());
             SyncCacheGridClient c = client(none.address()); SyncCacheGridClient d = client(missing.address())) {
            Versioned versioned = a.getWithVersion("k").orElseThrow();
            assertEquals("281474976710656", versioned.version());
            assertEquals(3, versioned.value().asJsonObject().getInt("n"));
            assertEquals(Map.of("n", 3L), versioned.value(Map.class));
            assertEquals("9", b.getWithVersion("k").orElseThrow().version());
            var e = assertThrows(CacheGridException.class, () -> c.getWithVersion("k"));
            assertTrue(e.getMessage().contains("ETag"), e.getMessage());
            assertEquals(Optional.empty(), d.getWithVersion("k"));
        }
    }

    @Test
    void incrAndDecrSendByAndTtlAndReturnTheValue() throws Exception {
        String answer = "{\"success\":true,\"key\":\"hits\",\"value\":-9007199254740993,\"version\":\"5\"}";
        try (FakeServer fake = new FakeServer(200, answer); SyncCacheGridClient client = client(fake.address())) {
            assertEquals(-9007199254740993L, client.incr("hits"));
            assertEquals(-9007199254740993L, client.decr("hits", 5, Duration.ofSeconds(60)));
            client.incr("a b", Long.MIN_VALUE);
            List<FakeServer.Received> sent = fake.received();
            assertEquals("POST /cache/hits/incr?by=1", line(sent.get(0)));
            assertEquals("POST /cache/hits/decr?by=5&ttl=60", line(sent.get(1)));
            assertEquals("POST /cache/a%20b/incr?by=-9223372036854775808", line(sent.get(2)));
        }
    }

    @Test
    void notAnIntegerAndOverflowAreBadRequests() throws Exception {
        try (FakeServer conflict = new FakeServer(409, "{\"error\":\"not an integer\",\"detail\":\"a string\"}");
             FakeServer overflow = new FakeServer(400, "{\"error\":\"overflow\",\"detail\":\"64-bit\"}");
             SyncCacheGridClient a = client(conflict.address()); SyncCacheGridClient b = client(overflow.address())) {
            var e = assertThrows(CacheGridBadRequestException.class, () -> a.incr("k"));
            assertEquals(409, e.status());
            assertEquals("not an integer", e.error());
            assertEquals("overflow", assertThrows(CacheGridBadRequestException.class, () -> b.decr("k")).error());
            assertThrows(CacheGridBadRequestException.class, () -> a.compareAndSet("k", 1, "1"), "409 is no 412");
            assertEquals(1, conflict.received().size() - 1, "never retried");
        }
    }

    @Test
    void incrIsNotRepeatedOnceItMayHaveReachedAServer() throws Exception {
        String answer = "{\"success\":true,\"key\":\"k\",\"value\":1,\"version\":\"5\"}";
        try (FakeServer broken = new FakeServer(503, "{\"error\":\"unavailable\",\"detail\":\"\"}");
             FakeServer live = new FakeServer(200, answer);
             SyncCacheGridClient client = client(broken.address(), live.address())) {
            assertThrows(CacheGridUnavailableException.class, () -> client.incr("k"));
            assertEquals(1, broken.received().size());
            assertEquals(0, live.received().size(), "a 5xx may come after the write: no second attempt");
            assertEquals(1, client.incr("k"), "the next call goes to the live host");
        }
        try (SilentServer silent = new SilentServer(); FakeServer live = new FakeServer(200, answer);
             SyncCacheGridClient client = client(silent.address(), live.address())) {
            assertThrows(CacheGridTimeoutException.class, () -> client.incr("k"));
            assertEquals(0, live.received().size(), "a timed-out increment may have been applied");
        }
    }

    @Test
    void incrFailsOverWhenTheConnectionIsRefused() throws Exception {
        String answer = "{\"success\":true,\"key\":\"k\",\"value\":1,\"version\":\"5\"}";
        try (DeadPort dead = new DeadPort(); FakeServer live = new FakeServer(200, answer);
             SyncCacheGridClient client = client(dead.address(), live.address())) {
            assertEquals(1, client.incr("k"));
            assertTrue(client.compareAndSet("k", 2, "5"));
            assertEquals(2, live.received().size());
        }
    }

    @Test
    void idleConnectionClosedByTheServerIsNotReusedForAnIncrement() throws Exception {
        String answer = "{\"success\":true,\"key\":\"k\",\"value\":1,\"version\":\"5\"}";
        try (ClosingServer closing = new ClosingServer(answer);
             SyncCacheGridClient client = SyncCacheGridClient.builder().hosts(closing.address()).maxRetries(0)
                     .timeout(Duration.ofMillis(500)).build()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(1, client.incr("k"));
                Thread.sleep(50); // the server's close arrives while the connection is idle
            }
            assertEquals(3, closing.connections());
        }
    }

    @Test
    void setWithTagsInvalidateTagAndKeysWithTag() throws Exception {
        String page = "{\"tag\":\"t\",\"keys\":[\"a\",\"b\"],\"total\":2,\"offset\":0,\"returned\":2}";
        try (FakeServer stored = new FakeServer(200, STORED);
             FakeServer removed = new FakeServer(200, "{\"success\":true,\"tag\":\"t\",\"items_removed\":3}");
             FakeServer keys = new FakeServer(200, page);
             SyncCacheGridClient a = client(stored.address()); SyncCacheGridClient b = client(removed.address());
             SyncCacheGridClient c = client(keys.address())) {
            assertTrue(a.set("k", 1, null, "user:42", "team a"));
            assertTrue(a.set("k", 1, Duration.ofSeconds(5), "x"));
            assertEquals("PUT /cache/k?tags=user%3A42%2Cteam%20a", line(stored.received().get(0)));
            assertEquals("PUT /cache/k?ttl=5&tags=x", line(stored.received().get(1)));
            assertThrows(IllegalArgumentException.class, () -> a.set("k", 1, null, "a,b"));
            assertThrows(IllegalArgumentException.class, () -> a.set("k", 1, null, ""));
            assertEquals(3, b.invalidateTag("user/42"));
            assertEquals("DELETE /tags/user%2F42", line(removed.received().getFirst()));
            assertEquals(List.of("a", "b"), c.keysWithTag("."));
            assertEquals("GET /tags/%2E?offset=0&limit=1000", line(keys.received().getFirst()));
        }
    }

    @Test
    void asyncClientHasTheSameOperations() throws Exception {
        String answer = "{\"success\":true,\"key\":\"k\",\"value\":4,\"version\":\"5\"}";
        try (FakeServer fake = new FakeServer(200, answer, Map.of("ETag", "\"5\""));
             CacheGridClient client = CacheGridClient.builder().hosts(fake.address()).build()) {
            assertEquals(4L, client.incr("k", 3).join());
            assertEquals(4L, client.decr("k").join());
            assertTrue(client.setIfAbsent("k", 1).join());
            assertTrue(client.compareAndSet("k", 1, "5").join());
        }
    }

    private static String line(FakeServer.Received sent) {
        return sent.method() + " " + sent.rawPath() + (sent.rawQuery() == null ? "" : "?" + sent.rawQuery());
    }
}
