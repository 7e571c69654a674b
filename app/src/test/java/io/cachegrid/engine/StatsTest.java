package io.cachegrid.engine;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsTest extends EngineTestSupport {

    @Test
    void countsEveryKindOfEventExactly() {
        CacheEngine cache = singleSegment(2, EvictionPolicy.LRU);
        cache.put("a", bytes("1"), 0);                      // set 1
        cache.put("b", bytes("2"), 0);                      // set 2
        cache.get("a");                                     // hit 1
        cache.get("a");                                     // hit 2
        cache.get("nope");                                  // miss 1
        cache.peek("b");                                    // nothing
        assertTrue(cache.delete("a"));                      // delete 1
        assertFalse(cache.delete("a"));                     // nothing
        cache.put("c", bytes("3"), TimeUnit.SECONDS.toNanos(1)); // set 3
        cache.put("d", bytes("4"), 0);                      // set 4, evicts b: eviction 1
        ticker.advance(2, TimeUnit.SECONDS);
        cache.get("c");                                     // miss 2, expiration 1
        cache.put("d", bytes("44"), 0);                     // set 5, an overwrite evicts nothing

        CacheStats stats = cache.stats();
        assertEquals(2, stats.hits());
        assertEquals(2, stats.misses());
        assertEquals(5, stats.sets());
        assertEquals(1, stats.deletes());
        assertEquals(1, stats.evictions());
        assertEquals(1, stats.expirations());
        assertEquals(1, stats.size());
        assertEquals(CacheEngine.weigh("d", bytes("44")), stats.memoryBytes());
        assertEquals(2, stats.maxSize());
        assertEquals(EvictionPolicy.LRU, stats.policy());
        assertEquals(0.5, stats.hitRatio());
    }

    @Test
    void hitRatioIsZeroBeforeAnyRead() {
        assertEquals(0.0, singleSegment(10, EvictionPolicy.LRU).stats().hitRatio());
    }

    @Test
    void aTooLargeEntryIsRefusedAndLeavesTheOldValueIntact() {
        long budget = 4096;
        CacheEngine cache = engine(10, budget, EvictionPolicy.LRU, 1);
        byte[] old = bytes("\"small\"");
        cache.put("k", old, 0);
        byte[] huge = new byte[4096];
        EntryTooLargeException refused = assertThrows(EntryTooLargeException.class, () -> cache.put("k", huge, 0));
        assertEquals(CacheEngine.weigh("k", huge), refused.weight());
        assertEquals(budget, refused.limit());
        assertEquals(budget, cache.maxEntryWeight());
        assertSame(old, cache.get("k"));                    // the very array: values are never copied
        assertEquals(1, cache.stats().sets());
    }

    @Test
    void theLargestAllowedEntryFitsExactly() {
        CacheEngine cache = engine(10, 4096, EvictionPolicy.LRU, 1);
        byte[] value = new byte[(int) (4096 - CacheEngine.weigh("k", new byte[0]))];
        cache.put("k", value, 0);
        assertArrayEquals(value, cache.get("k"));
        assertEquals(4096, cache.memoryBytes());
    }

    @Test
    void clearReturnsHowManyLiveEntriesItRemoved() {
        CacheEngine cache = engine(1000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4);
        for (int i = 0; i < 10; i++) {
            cache.put("k" + i, bytes("v"), i < 3 ? 1 : 0);  // three expire at once
        }
        ticker.advanceNanos(1);
        assertEquals(7, cache.clear());
        assertEquals(0, cache.size());
        assertEquals(0, cache.memoryBytes());
        assertEquals(0, cache.clear());
        cache.put("again", bytes("v"), 0);                  // still usable after a clear
        assertEquals(1, cache.size());
    }

    @Test
    void keysAreWeighedAsTheJvmStoresThem() {
        assertEquals(3 + 2 + CacheEngine.ENTRY_OVERHEAD_BYTES, CacheEngine.weigh("abc", new byte[2]));
        assertEquals(1 + 2 + CacheEngine.ENTRY_OVERHEAD_BYTES, CacheEngine.weigh("é", new byte[2])); // Latin-1
        assertEquals(2 * 2 + CacheEngine.ENTRY_OVERHEAD_BYTES, CacheEngine.weigh("日本", new byte[0]));
    }
}
