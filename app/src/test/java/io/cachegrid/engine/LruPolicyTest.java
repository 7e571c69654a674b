package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LruPolicyTest extends EngineTestSupport {

    @Test
    void evictsTheLeastRecentlyUsed() {
        CacheEngine cache = singleSegment(3, EvictionPolicy.LRU);
        cache.put("a", bytes("1"), 0);
        cache.put("b", bytes("2"), 0);
        cache.put("c", bytes("3"), 0);
        cache.get("a");                       // order now b, c, a
        cache.put("d", bytes("4"), 0);        // evicts b
        assertNull(cache.peek("b"));
        cache.put("c", bytes("33"), 0);       // an update is a use: order a, d, c
        cache.put("e", bytes("5"), 0);        // evicts a
        assertNull(cache.peek("a"));
        assertNotNull(cache.peek("c"));
        assertNotNull(cache.peek("d"));
        assertEquals(2, cache.stats().evictions());
        assertEquals(3, cache.size());
    }

    @Test
    void peekDoesNotRefresh() {
        CacheEngine cache = singleSegment(2, EvictionPolicy.LRU);
        cache.put("a", bytes("1"), 0);
        cache.put("b", bytes("2"), 0);
        cache.peek("a");
        cache.put("c", bytes("3"), 0);
        assertNull(cache.peek("a"));
    }

    @Test
    void memoryLimitEvictsOldestUntilTheNewEntryFits() {
        long entry = CacheEngine.weigh("k1", new byte[100]);
        CacheEngine cache = engine(100, 3 * entry, EvictionPolicy.LRU, 1);
        cache.put("k1", new byte[100], 0);
        cache.put("k2", new byte[100], 0);
        cache.put("k3", new byte[100], 0);
        cache.put("k4", new byte[250], 0);    // needs the room of k1 and k2 together
        assertNull(cache.peek("k1"));
        assertNull(cache.peek("k2"));
        assertNotNull(cache.peek("k3"));
        assertNotNull(cache.peek("k4"));
        assertEquals(2, cache.stats().evictions());
    }
}
