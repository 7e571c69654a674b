package io.cachegrid.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the accounted memory against the real retained heap: fill an engine with 100,000 entries of known
 * sizes, measure the used heap after full GCs against the empty engine's, and compare. This is also how
 * {@link CacheEngine#ENTRY_OVERHEAD_BYTES} was measured: (heap delta - key and value bytes) / entries.
 */
class MemoryAccountingTest extends EngineTestSupport {
    private static final int ENTRIES = 100_000;
    private static final double TOLERANCE = 0.10;
    private static final int SETTLE_GCS = 4;

    @Test
    void accountedMemoryTracksRetainedHeapWithinTenPercent() {
        CacheEngine cache = engine(1_000_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 0);
        long keyAndValueBytes = 0;
        long baseline = usedHeapAfterGc();
        for (int i = 0; i < ENTRIES; i++) {
            String key = "user:" + i;                     // 6 to 10 Latin-1 chars
            byte[] value = new byte[32 + (i % 200)];      // 32 to 231 bytes
            cache.put(key, value, 0);
            keyAndValueBytes += key.length() + value.length;
        }
        long retained = usedHeapAfterGc() - baseline;
        long accounted = cache.memoryBytes();
        double measuredOverhead = (double) (retained - keyAndValueBytes) / ENTRIES;
        System.out.printf("memory: retained %,d B, accounted %,d B (%.1f%%), measured overhead %.1f B/entry%n",
                          retained, accounted, 100.0 * accounted / retained, measuredOverhead);
        assertTrue(Math.abs(accounted - retained) <= TOLERANCE * retained,
                   "accounted " + accounted + " vs retained " + retained);
        assertTrue(cache.size() == ENTRIES);
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < SETTLE_GCS; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
