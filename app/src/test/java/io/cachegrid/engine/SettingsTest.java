package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest extends EngineTestSupport {

    @Test
    void policiesParseCaseInsensitivelyAndNameTheAcceptedValuesOtherwise() {
        assertEquals(EvictionPolicy.TINYLFU, EvictionPolicy.parse("TinyLFU"));
        assertEquals(EvictionPolicy.LRU, EvictionPolicy.parse(" lru "));
        for (EvictionPolicy policy : EvictionPolicy.values()) {
            assertEquals(policy, EvictionPolicy.parse(policy.configName()));
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> EvictionPolicy.parse("fifo"));
        assertTrue(bad.getMessage().contains("lru, lfu, ttl, size, tinylfu"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvictionPolicy.parse(null));
        assertEquals("size", EvictionPolicy.SIZE.configName());
    }

    @Test
    void settingsRejectNonsense() {
        Ticker clock = Ticker.system();
        assertThrows(IllegalArgumentException.class, () -> new CacheSettings(0, 1, EvictionPolicy.LRU, 0, clock));
        assertThrows(IllegalArgumentException.class, () -> new CacheSettings(1, 0, EvictionPolicy.LRU, 0, clock));
        assertThrows(IllegalArgumentException.class, () -> new CacheSettings(1, 1, EvictionPolicy.LRU, 3, clock));
        assertThrows(IllegalArgumentException.class, () -> new CacheSettings(1, 1, EvictionPolicy.LRU, -2, clock));
        assertThrows(NullPointerException.class, () -> new CacheSettings(1, 1, null, 0, clock));
        long tooSmallForOneEntry = CacheEngine.ENTRY_OVERHEAD_BYTES - 1;
        assertThrows(IllegalArgumentException.class, () -> engine(100, tooSmallForOneEntry, EvictionPolicy.LRU, 1));
        CacheEngine fewerItemsThanSegments = engine(4, LARGE_MEMORY_BYTES, EvictionPolicy.TINYLFU, 8);
        for (int i = 0; i < 6; i++) {
            fewerItemsThanSegments.put("k" + i, new byte[1], 0);
        }
        assertEquals(4, fewerItemsThanSegments.size());          // the limits are the cache's, not split 8 ways
    }

    @Test
    void autoSegmentsFollowTheLimits() {
        assertEquals(1, autoSegments(100, 1L << 30));            // 100 / 64 items
        assertEquals(8, autoSegments(1000, 1L << 30));           // 1000 / 64 = 15 → 8
        assertEquals(64, autoSegments(1_000_000, 4L << 30));     // capped at 64
        assertEquals(32, autoSegments(1_000_000, 512L << 20));   // 512 MiB / 16 MiB
        assertEquals(1, autoSegments(1_000_000, 1L << 20));      // less than 16 MiB
        CacheEngine cache = engine(10_000, 512L << 20, EvictionPolicy.LRU, 0);
        assertEquals(32, cache.segmentCount());
        assertEquals(512L << 20, cache.maxEntryWeight());        // the whole budget, not one segment's share
    }

    private static int autoSegments(long maxSize, long maxMemoryBytes) {
        return CacheEngine.autoSegments(CacheSettings.of(maxSize, maxMemoryBytes, EvictionPolicy.LRU));
    }
}
