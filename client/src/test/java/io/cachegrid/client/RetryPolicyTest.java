package io.cachegrid.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the client sends and when it retries, checked against fake servers (no CacheGrid process needed). */
class RetryPolicyTest {
    private static final String HIT = "{\"key\":\"k\",\"value\":\"v\",\"exists\":true,\"hit\":true}";

    private static SyncCacheGridClient client(int maxRetries, String... hosts) {
        return SyncCacheGridClient.builder().hosts(hosts).maxRetries(maxRetries)
                .timeout(Duration.ofMillis(300)).backoff(Duration.ofSeconds(30)).build();
    }

    @Test
    void badRequestIsNeverRetried() throws Exception {
        try (FakeServer fake = new FakeServer(400, "{\"error\":\"invalid key\",\"detail\":\"1..250 characters\"}");
             FakeServer other = new FakeServer(200, HIT);
             SyncCacheGridClient client = client(3, fake.address(), other.address())) {
            var e = assertThrows(CacheGridBadRequestException.class, () -> client.get("k"));
            assertEquals(400, e.status());
            assertEquals("invalid key", e.error());
            assertEquals("1..250 characters", e.detail());
            assertEquals(fake.address(), e.host());
            assertEquals(1, fake.received().size());
            assertEquals(0, other.received().size());
        }
    }

    @Test
    void serverErrorIsRetriedOnTheNextHostUpToMaxRetries() throws Exception {
        try (FakeServer broken = new FakeServer(503, "{\"error\":\"unhealthy\",\"detail\":\"\"}");
             SyncCacheGridClient client = client(2, broken.address())) {
            var e = assertThrows(CacheGridUnavailableException.class, () -> client.get("k"));
            assertEquals(503, e.status());
            assertEquals(3, broken.received().size());
            assertEquals(2, e.getSuppressed().length + nestedSuppressed(e));
        }
    }

    private static int nestedSuppressed(Throwable e) {
        int count = 0;
        for (Throwable t = e.getSuppressed().length == 0 ? null : e.getSuppressed()[0]; t != null;
             t = t.getSuppressed().length == 0 ? null : t.getSuppressed()[0]) {
            count++;
        }
        return count - e.getSuppressed().length;
    }

    @Test
    void deadFirstHostFailsOver() throws Exception {
        try (DeadPort deadPort = new DeadPort(); FakeServer live = new FakeServer(200, HIT);
             SyncCacheGridClient client = client(1, deadPort.address(), live.address())) {
            assertEquals("v", client.get("k", String.class).orElseThrow());
            for (int i = 0; i < 5; i++) {
                client.get("k");
            }
            assertEquals(6, live.received().size());
        }
    }

    @Test
    void everyHostDeadGivesUnavailableWithHostAndCause() {
        try (DeadPort deadPort = new DeadPort(); SyncCacheGridClient client = client(2, deadPort.address())) {
            String dead = deadPort.address();
            var e = assertThrows(CacheGridUnavailableException.class, () -> client.get("k"));
            assertEquals(dead, e.host());
            assertEquals(0, e.status());
            assertTrue(e.getCause() != null, "carries the connection failure");
        }
    }

    @Test
    void silentServerTimesOutAndTheNextHostAnswers() throws Exception {
        try (SilentServer silent = new SilentServer(); FakeServer live = new FakeServer(200, HIT)) {
            try (SyncCacheGridClient only = client(1, silent.address())) {
                long start = System.nanoTime();
                var e = assertThrows(CacheGridTimeoutException.class, () -> only.get("k"));
                long elapsed = System.nanoTime() - start;
                assertEquals(silent.address(), e.host());
                // a lower bound only: how long a busy machine takes beyond the timeouts is not the client's doing
                assertTrue(elapsed >= Duration.ofMillis(300).toNanos(), "gave up before its 300 ms timeout: " + elapsed);
            }
        }
    }

    @Test
    void hostThatTimedOutIsSkippedUntilItsBackoffEnds() throws Exception {
        try (SilentServer silent = new SilentServer(); FakeServer live = new FakeServer(200, HIT);
             SyncCacheGridClient failover = client(1, silent.address(), live.address())) {
            assertEquals("v", failover.get("k", String.class).orElseThrow());
            int connectionsAfterFirstCall = silent.connections();
            for (int i = 0; i < 5; i++) {
                failover.get("k");
            }
            assertEquals(6, live.received().size());
            assertEquals(connectionsAfterFirstCall, silent.connections(), "the silent host was tried again");
        }
    }

    @Test
    void sendsEncodedKeyTtlJsonBodyAndBearerToken() throws Exception {
        String ok = "{\"success\":true,\"key\":\"k\",\"ttl\":1.5,\"timestamp\":1.0}";
        try (FakeServer fake = new FakeServer(200, ok);
             SyncCacheGridClient client = SyncCacheGridClient.builder().hosts(fake.address())
                     .authToken("s3cret").build()) {
            client.set("a/b c?d", Map.of("name", "Alice"), Duration.ofMillis(1500));
            var e = assertThrows(CacheGridException.class, () -> client.keys("user: 50%", 10));
            assertTrue(e.getMessage().contains("lacks a JSON JsonArray \"keys\""), e.getMessage());
            FakeServer.Received sent = fake.received().getFirst();
            assertEquals("PUT", sent.method());
            assertEquals("/cache/a%2Fb%20c%3Fd", sent.rawPath());
            assertEquals("ttl=1.5", sent.rawQuery());
            assertEquals("Bearer s3cret", sent.authorization());
            assertEquals("pattern=user%3A%2050%25&limit=10", fake.received().get(1).rawQuery());
            assertEquals(Json.createObjectBuilder().add("name", "Alice").build(),
                    Json.createReader(new java.io.StringReader(sent.body())).readValue());
        }
    }

    @Test
    void asyncFailureCompletesTheFutureWithTheTypedException() throws Exception {
        try (FakeServer fake = new FakeServer(400, "{\"error\":\"bad\",\"detail\":\"d\"}");
             CacheGridClient client = CacheGridClient.builder().hosts(fake.address()).build()) {
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> client.getMulti(List.of("x")).get());
            assertTrue(e.getCause() instanceof CacheGridBadRequestException, e.getCause().toString());
        }
    }
}
