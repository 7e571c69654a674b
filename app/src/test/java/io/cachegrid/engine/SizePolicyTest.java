package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class SizePolicyTest extends EngineTestSupport {

    @Test
    void evictsTheLargestThenTheOldestOfEqualSize() {
        CacheEngine cache = singleSegment(3, EvictionPolicy.SIZE);
        cache.put("a", new byte[10], 0);
        cache.put("b", new byte[50], 0);
        cache.put("c", new byte[30], 0);
        cache.put("d", new byte[20], 0);      // evicts b (50)
        assertNull(cache.peek("b"));
        cache.put("e", new byte[30], 0);      // evicts c (30), never the entry being written
        assertNull(cache.peek("c"));
        cache.put("f", new byte[20], 0);      // evicts e (30)
        assertNull(cache.peek("e"));
        cache.put("g", new byte[5], 0);       // d and f weigh 20: the older, d, goes
        assertNull(cache.peek("d"));
        assertNotNull(cache.peek("f"));
        assertNotNull(cache.peek("a"));
        assertEquals(4, cache.stats().evictions());
    }

    @Test
    void growingAnEntryReordersIt() {
        CacheEngine cache = singleSegment(3, EvictionPolicy.SIZE);
        cache.put("a", new byte[10], 0);
        cache.put("b", new byte[50], 0);
        cache.put("c", new byte[30], 0);
        cache.put("a", new byte[90], 0);      // a is now the largest
        cache.put("d", new byte[1], 0);
        assertNull(cache.peek("a"));
        assertNotNull(cache.peek("b"));
    }

    @Test
    void memoryLimitEvictsTheLargestUntilTheNewEntryFits() {
        long budget = CacheEngine.weigh("k1", new byte[100]) + CacheEngine.weigh("k2", new byte[150])
                + CacheEngine.weigh("k3", new byte[50]);
        CacheEngine cache = engine(100, budget, EvictionPolicy.SIZE, 1);
        cache.put("k1", new byte[100], 0);
        cache.put("k2", new byte[150], 0);
        cache.put("k3", new byte[50], 0);
        cache.put("k4", new byte[120], 0);    // evicting k2 alone makes room
        assertNull(cache.peek("k2"));
        assertNotNull(cache.peek("k1"));
        assertNotNull(cache.peek("k3"));
        assertNotNull(cache.peek("k4"));
        assertEquals(1, cache.stats().evictions());
    }
}
