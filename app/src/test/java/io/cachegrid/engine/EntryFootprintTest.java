package io.cachegrid.engine;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's yardstick for per-entry overhead, off by default (it needs ~200 MB of heap and a few seconds):
 * 1M entries of 16-byte keys and 64-byte values, used heap after GC per entry, minus the 80 bytes of key and value.
 * Run with {@code -Dtest=EntryFootprintTest -Dcachegrid.footprint=true}; add
 * {@code -DargLine=-XX:+UseCompactObjectHeaders} for the other header mode. Measured 65.0 B (default headers) and
 * 64.3 B (compact headers, MemoryProbe); since the policy int left lru and tinylfu entries, MemoryProbe measures
 * 63.7 B and 55.3 B. The memory issue asked for <= 64 B when an entry was 32 B (56.9-57.0 and
 * 57.1 B then); issue 11's contract adds an 8-byte version to every entry (its "Entry layout": "+8 B per entry"),
 * so the target here is that budget plus those 8 bytes, and the old one is missed by about 1 B.
 */
@EnabledIfSystemProperty(named = "cachegrid.footprint", matches = "true")
class EntryFootprintTest {
    private static final int ENTRIES = 1_000_000;
    private static final int KEY_AND_VALUE_BYTES = 16 + 64;
    /** The memory issue's 64 B plus the 8-byte version every entry carries since issue 11. */
    private static final double TARGET_BYTES = 64 + Long.BYTES;

    @Test
    void aMillionSmallEntriesCostAtMost72BytesEachBeyondKeyAndValue() {
        long baseline = usedHeapAfterGc();
        CacheEngine cache = new CacheEngine(CacheSettings.of(2L * ENTRIES, 8L << 30, EvictionPolicy.LRU));
        for (int i = 0; i < ENTRIES; i++) {
            cache.put(String.format("key:%012d", i), new byte[64], 0);   // 16 ASCII chars, 64 bytes
        }
        double overhead = (double) (usedHeapAfterGc() - baseline) / ENTRIES - KEY_AND_VALUE_BYTES;
        System.out.printf("footprint: %d entries, %.1f B/entry beyond key and value%n", cache.size(), overhead);
        assertEquals(ENTRIES, cache.size());
        assertTrue(overhead <= TARGET_BYTES, overhead + " B/entry");
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
