package io.cachegrid.engine;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** TTLs against a fake clock: nothing here sleeps. */
class ExpiryTest extends EngineTestSupport {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final CacheEngine cache = engine(1000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 0);

    @Test
    void readingAnExpiredEntryIsAMissThatRemovesItAndCountsOneExpiration() {
        cache.put("session", bytes("{}"), 10 * SECOND);
        ticker.advance(10, TimeUnit.SECONDS);
        assertNull(cache.get("session"));
        CacheStats stats = cache.stats();
        assertEquals(0, stats.hits());
        assertEquals(1, stats.misses());
        assertEquals(1, stats.expirations());
        assertEquals(0, stats.size());
        assertNull(cache.get("session"));          // now simply absent: a miss, no second expiration
        assertEquals(1, cache.stats().expirations());
    }

    @Test
    void fractionalTtlsExpireAtTheirExactNanosecond() {
        cache.put("one-and-a-half", bytes("1"), 1500 * MILLI);
        cache.put("quarter", bytes("2"), 250 * MILLI);
        ticker.advanceNanos(250 * MILLI - 1);
        assertNotNull(cache.get("quarter"));
        ticker.advanceNanos(1);
        assertNull(cache.get("quarter"));
        ticker.advanceNanos(1250 * MILLI - 1);
        assertEquals(1, cache.ttlRemainingNanos("one-and-a-half"));
        assertNotNull(cache.get("one-and-a-half"));
        ticker.advanceNanos(1);
        assertNull(cache.get("one-and-a-half"));
    }

    @Test
    void ttlRemainingTellsLiveWithoutTtlAbsentAndExpiredApartWithoutCounting() {
        cache.put("forever", bytes("1"), 0);
        cache.put("negative-means-forever", bytes("1"), -5);
        cache.put("short", bytes("2"), 3 * SECOND);
        ticker.advance(1, TimeUnit.SECONDS);
        assertEquals(-1, cache.ttlRemainingNanos("forever"));
        assertEquals(-1, cache.ttlRemainingNanos("negative-means-forever"));
        assertEquals(2 * SECOND, cache.ttlRemainingNanos("short"));
        assertEquals(-2, cache.ttlRemainingNanos("absent"));
        ticker.advance(2, TimeUnit.SECONDS);
        assertEquals(-2, cache.ttlRemainingNanos("short"));
        assertNull(cache.peek("short"));
        CacheStats stats = cache.stats();
        assertEquals(0, stats.hits() + stats.misses() + stats.expirations());
    }

    @Test
    void expireDueRemovesExactlyTheExpiredOnes() {
        for (int i = 1; i <= 5; i++) {
            cache.put("ttl-" + i, bytes("v"), i * SECOND);
        }
        cache.put("no-ttl-1", bytes("v"), 0);
        cache.put("no-ttl-2", bytes("v"), 0);
        ticker.advanceNanos(2500 * MILLI);
        assertEquals(2, cache.expireDue().removed());
        assertNull(cache.peek("ttl-1"));
        assertNull(cache.peek("ttl-2"));
        assertNotNull(cache.peek("ttl-3"));
        assertEquals(5, cache.size());
        assertEquals(0, cache.expireDue().removed());
        ticker.advance(1, TimeUnit.HOURS);
        assertEquals(3, cache.expireDue().removed());
        assertEquals(2, cache.size());
        assertEquals(5, cache.stats().expirations());
        assertEquals(0, cache.stats().misses());
    }

    @Test
    void anOverwriteReplacesTheDeadline() {
        cache.put("k", bytes("1"), SECOND);
        cache.put("k", bytes("2"), 0);               // now without TTL
        ticker.advance(5, TimeUnit.SECONDS);
        assertEquals(0, cache.expireDue().removed());
        assertEquals("2", text(cache.get("k")));
        cache.put("k", bytes("3"), SECOND);          // and with one again
        ticker.advance(1, TimeUnit.SECONDS);
        assertEquals(1, cache.expireDue().removed());
    }

    @Test
    void deletingAnExpiredEntryIsNoDeleteButAnExpiration() {
        cache.put("k", bytes("1"), SECOND);
        ticker.advance(1, TimeUnit.SECONDS);
        assertFalse(cache.delete("k"));
        assertEquals(0, cache.stats().deletes());
        assertEquals(1, cache.stats().expirations());
    }

    @Test
    void hugeTtlsDoNotOverflowIntoThePast() {
        cache.put("k", bytes("1"), Long.MAX_VALUE);
        ticker.advance(1000, TimeUnit.DAYS);
        assertNotNull(cache.get("k"));
    }
}
