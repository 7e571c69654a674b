package io.cachegrid.engine;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class TtlPolicyTest extends EngineTestSupport {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void evictsTheSoonestExpiringThenThoseWithoutTtlOldestFirst() {
        CacheEngine cache = singleSegment(4, EvictionPolicy.TTL);
        cache.put("a", bytes("1"), 30 * SECOND);
        cache.put("b", bytes("2"), 10 * SECOND);
        cache.put("c", bytes("3"), 0);
        cache.put("d", bytes("4"), 20 * SECOND);
        cache.get("b");                             // reads do not matter to this policy
        cache.put("e", bytes("5"), 60 * SECOND);    // evicts b (10 s)
        assertNull(cache.peek("b"));
        cache.put("f", bytes("6"), 0);              // evicts d (20 s)
        assertNull(cache.peek("d"));
        cache.put("g", bytes("7"), 0);              // evicts a (30 s)
        assertNull(cache.peek("a"));
        cache.put("h", bytes("8"), 0);              // evicts e (60 s), the last with a TTL
        assertNull(cache.peek("e"));
        cache.put("i", bytes("9"), 0);              // none has a TTL: the oldest write, c, goes
        assertNull(cache.peek("c"));
        assertNotNull(cache.peek("f"));
    }

    @Test
    void memoryLimitEvictsSoonestExpiringUntilTheNewEntryFits() {
        CacheEngine cache = engine(100, 3 * CacheEngine.weigh("k1", new byte[100]), EvictionPolicy.TTL, 1);
        cache.put("k1", new byte[100], 10 * SECOND);
        cache.put("k2", new byte[100], 0);
        cache.put("k3", new byte[100], 5 * SECOND);
        cache.put("k4", new byte[250], 0);          // needs the room of two: k3, then k1
        assertNull(cache.peek("k3"));
        assertNull(cache.peek("k1"));
        assertNotNull(cache.peek("k2"));
        assertNotNull(cache.peek("k4"));
    }
}
