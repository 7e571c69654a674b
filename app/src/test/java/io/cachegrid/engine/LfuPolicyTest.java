package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LfuPolicyTest extends EngineTestSupport {

    @Test
    void evictsTheLeastFrequentlyUsedThenTheLeastRecent() {
        CacheEngine cache = singleSegment(3, EvictionPolicy.LFU);
        cache.put("a", bytes("1"), 0);
        cache.put("b", bytes("2"), 0);
        cache.put("c", bytes("3"), 0);
        read(cache, "a", 2);                  // a:3 b:1 c:1
        read(cache, "b", 1);                  // a:3 b:2 c:1
        cache.put("d", bytes("4"), 0);        // evicts c (1)
        assertNull(cache.peek("c"));
        cache.put("e", bytes("5"), 0);        // the newcomer d (1) goes, not e
        assertNull(cache.peek("d"));
        assertNotNull(cache.peek("e"));
        read(cache, "e", 2);                  // a:3 b:2 e:3
        cache.put("f", bytes("6"), 0);        // evicts b (2)
        assertNull(cache.peek("b"));
        cache.put("g", bytes("7"), 0);        // evicts f (1)
        read(cache, "g", 2);                  // a, e, g all at 3; a reached 3 first
        cache.put("h", bytes("8"), 0);        // tie at 3: least recently used a goes
        assertNull(cache.peek("a"));
        assertNotNull(cache.peek("e"));
        assertNotNull(cache.peek("g"));
        assertEquals(5, cache.stats().evictions());
    }

    @Test
    void anOverwriteCountsAsAUseAndKeepsHistory() {
        CacheEngine cache = singleSegment(2, EvictionPolicy.LFU);
        cache.put("a", bytes("1"), 0);
        cache.put("b", bytes("2"), 0);
        cache.put("a", bytes("11"), 0);       // a:2 b:1
        cache.put("c", bytes("3"), 0);        // evicts b
        assertNull(cache.peek("b"));
        assertEquals("11", text(cache.peek("a")));
    }

    @Test
    void memoryLimitEvictsTheLeastFrequentUntilTheNewEntryFits() {
        CacheEngine cache = engine(100, 3 * CacheEngine.weigh("k1", new byte[100]), EvictionPolicy.LFU, 1);
        cache.put("k1", new byte[100], 0);
        cache.put("k2", new byte[100], 0);
        cache.put("k3", new byte[100], 0);
        read(cache, "k1", 2);
        read(cache, "k2", 1);
        cache.put("k4", new byte[250], 0);    // needs the room of two: k3 (1), then k2 (2)
        assertNull(cache.peek("k3"));
        assertNull(cache.peek("k2"));
        assertNotNull(cache.peek("k1"));
        assertNotNull(cache.peek("k4"));
    }
}
