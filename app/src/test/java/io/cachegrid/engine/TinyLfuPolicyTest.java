package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxSize 3 gives a window of 1, a main of 2 and a protected region of 1. */
class TinyLfuPolicyTest extends EngineTestSupport {

    @Test
    void admitsAPopularCandidateAndRejectsAColdOne() {
        CacheEngine cache = singleSegment(3, EvictionPolicy.TINYLFU);
        cache.put("a", bytes("1"), 0);
        cache.put("b", bytes("2"), 0);
        cache.put("c", bytes("3"), 0);            // window [c], probation [a, b]
        read(cache, "a", 3);        // a promoted to protected
        cache.put("d", bytes("4"), 0);            // candidate c (1) is no more popular than victim b (1): c goes
        assertNull(cache.peek("c"));
        assertNotNull(cache.peek("b"));
        read(cache, "d", 3);        // d (4) now beats b (1)
        cache.put("e", bytes("5"), 0);            // b goes, d moves to probation
        assertNull(cache.peek("b"));
        assertNotNull(cache.peek("a"));
        assertNotNull(cache.peek("d"));
        assertNotNull(cache.peek("e"));
    }

    @Test
    void missesCountTowardsPopularity() {
        CacheEngine cache = singleSegment(3, EvictionPolicy.TINYLFU);
        cache.put("a", bytes("1"), 0);
        cache.put("b", bytes("2"), 0);
        cache.put("c", bytes("3"), 0);            // window [c], probation [a, b]
        for (int i = 0; i < 3; i++) {
            assertNull(cache.get("wanted"));
        }
        cache.put("wanted", bytes("4"), 0);       // candidate c (1) vs a (1): c goes; window [wanted]
        cache.put("x", bytes("5"), 0);            // candidate wanted (4) beats a (1)
        assertNull(cache.peek("a"));
        assertNotNull(cache.peek("wanted"));
    }

    @Test
    void memoryLimitHoldsAndTheNewEntryIsStored() {
        long budget = 3 * CacheEngine.weigh("k1", new byte[100]);
        CacheEngine cache = engine(100, budget, EvictionPolicy.TINYLFU, 1);
        cache.put("k1", new byte[100], 0);
        cache.put("k2", new byte[100], 0);
        cache.put("k3", new byte[100], 0);
        cache.put("k4", new byte[250], 0);
        assertNotNull(cache.peek("k4"));
        assertTrue(cache.memoryBytes() <= budget);
        assertTrue(cache.stats().evictions() >= 2);
    }
}
