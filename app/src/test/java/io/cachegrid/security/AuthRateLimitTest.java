package io.cachegrid.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;

import static io.cachegrid.security.AuthClient.READ;
import static io.cachegrid.security.AuthClient.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A flood of bad tokens is answered 429 per address, while valid tokens keep working; the table stays bounded. */
class AuthRateLimitTest {

    @Test
    void aFloodOfBadTokensGets429WhileAGoodTokenStillWorks() {
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS,
                "CACHEGRID_AUTH_FAILURE_LIMIT", "10"))) {
            int unauthorized = 0;
            TestNode.Reply limited = null;
            for (int i = 0; i < 40 && limited == null; i++) {
                TestNode.Reply reply = get(node, "/stats", "bad-token-" + i + "-0123456789abcdef");
                if (reply.status() == 429) {
                    limited = reply;
                } else {
                    reply.error(401);
                    unauthorized++;
                }
            }
            assertTrue(limited != null, "no 429 after 40 bad tokens with a limit of 10 a minute");
            assertTrue(unauthorized >= 10, "the first failures of a minute are answered 401: " + unauthorized);
            assertEquals("too many requests", limited.error(429).getString("error"));
            // the same address, with a valid token: served as usual
            assertEquals(200, get(node, "/stats", READ).status());
            assertEquals(200, get(node, "/cache/k", READ).status());
            // still limited without one, with Retry-After in whole seconds
            java.net.http.HttpResponse<String> again = rawGet(node, "/stats");
            assertEquals(429, again.statusCode());
            long retryAfter = Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertTrue(get(node, "/metrics", READ).body().lines().anyMatch(line ->
                    line.startsWith("cachegrid_auth_failures_total{reason=\"rate_limited\"") && !line.endsWith(" 0.0")));
            // public routes stay open
            assertEquals(200, get(node, "/health", null).status());
        }
    }

    private static java.net.http.HttpResponse<String> rawGet(TestNode node, String path) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(node.uri(path))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bucketsRefillWithTimeAndAddressesAreIndependent() throws UnknownHostException {
        AtomicLong now = new AtomicLong();
        FailureLimiter limiter = new FailureLimiter(6, now::get); // one failure per 10 s, burst 6
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        for (int i = 0; i < 6; i++) {
            assertEquals(0, limiter.failure(a));
        }
        assertEquals(10, limiter.failure(a));
        assertEquals(0, limiter.failure(b), "another address has its own bucket");
        now.addAndGet(4_000_000_000L);
        assertEquals(6, limiter.failure(a), "seconds until the next failure is allowed");
        now.addAndGet(6_000_000_000L);
        assertEquals(0, limiter.failure(a), "one failure refilled after 10 s");
        assertEquals(10, limiter.failure(a));
    }

    @Test
    void ipv6HostsShareTheirSlash64() throws UnknownHostException {
        FailureLimiter limiter = new FailureLimiter(1, () -> 0);
        assertEquals(0, limiter.failure(InetAddress.getByName("2001:db8:1:2::1")));
        assertTrue(limiter.failure(InetAddress.getByName("2001:db8:1:2:ffff::9")) > 0);
        assertEquals(0, limiter.failure(InetAddress.getByName("2001:db8:1:3::1")));
    }

    @Test
    void theAddressTableIsBounded() throws UnknownHostException {
        FailureLimiter limiter = new FailureLimiter(1, () -> 0);
        for (int i = 0; i < FailureLimiter.MAX_ADDRESSES + 5_000; i++) {
            limiter.failure(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
        }
        assertEquals(FailureLimiter.MAX_ADDRESSES, limiter.size());
    }
}
