package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configured max_size and memory are the whole cache's budget, not split evenly over the segments: a cache
 * holds exactly max_size entries and fills its memory to within one entry, however the keys fall on the segments.
 */
class GlobalLimitsTest extends EngineTestSupport {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final long MIB = 1L << 20;

    static Stream<Arguments> everyPolicyAtEverySize() {
        List<Arguments> cases = new ArrayList<>();
        for (EvictionPolicy policy : EvictionPolicy.values()) {
            for (int size : new int[] {10, 1_000, 100_000}) {
                cases.add(Arguments.of(policy, size));
            }
        }
        // a million entries (and the invariant check over them) take seconds: one policy, the default
        cases.add(Arguments.of(EvictionPolicy.LRU, 1_000_000));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1} entries")
    @MethodSource("everyPolicyAtEverySize")
    void holdsExactlyMaxSizeEntries(EvictionPolicy policy, int maxSize) {
        CacheEngine cache = engine(maxSize, LARGE_MEMORY_BYTES, policy, 0);
        byte[] value = {'1'};
        long ttl = policy == EvictionPolicy.TTL ? HOUR : 0;   // gives ttl deadlines to order by
        for (int i = 0; i < maxSize; i++) {
            cache.put("key-" + i, value, ttl);
        }
        assertEquals(maxSize, cache.size(), "exactly max_size distinct keys all fit");
        assertEquals(0, cache.stats().evictions());
        int extra = Math.clamp(maxSize / 10, 1, 1_000);
        for (int i = maxSize; i < maxSize + extra; i++) {
            cache.put("key-" + i, value, ttl);
        }
        assertEquals(maxSize, cache.size(), "more keys than max_size: exactly max_size stay");
        assertEquals(extra, cache.stats().evictions(), "one eviction per key beyond max_size");
        assertNotNull(cache.peek("key-" + (maxSize + extra - 1)), "the last write is never its own victim");
    }

    /** (value bytes, memory budget): from 1 byte to the 8 MiB value limit, budgets spanning several segments. */
    static Stream<Arguments> valueSizes() {
        return Stream.of(Arguments.of(1, 2 * MIB), Arguments.of(100, 8 * MIB), Arguments.of(64 << 10, 64 * MIB),
                         Arguments.of(1 << 20, 160 * MIB), Arguments.of(4 << 20, 160 * MIB),
                         Arguments.of(8 << 20, 160 * MIB));
    }

    @ParameterizedTest(name = "{0}-byte values, budget {1}")
    @MethodSource("valueSizes")
    void fillsTheMemoryBudgetToWithinOneEntry(int valueBytes, long budget) {
        CacheEngine cache = engine(Long.MAX_VALUE / 2, budget, EvictionPolicy.LRU, 0);
        assertTrue(cache.segmentCount() > 1 || budget < 32 * MIB, "the budgets above 32 MiB span segments");
        byte[] value = new byte[valueBytes];
        long entryWeight = CacheEngine.weigh(key(0), value);
        long fits = budget / entryWeight;
        for (int i = 0; i < fits; i++) {
            cache.put(key(i), value, 0);
        }
        assertEquals(fits, cache.size(), "everything within the budget is kept");
        assertEquals(fits * entryWeight, cache.memoryBytes());
        assertEquals(0, cache.stats().evictions());
        long more = Math.max(3, fits / 10);
        for (long i = fits; i < fits + more; i++) {
            cache.put(key(i), value, 0);
        }
        assertEquals(fits, cache.size(), "beyond the budget, as many as fit stay");
        assertTrue(cache.memoryBytes() <= budget, "never above the budget");
        assertTrue(budget - cache.memoryBytes() < entryWeight, "within one entry of the budget");
        assertEquals(more, cache.stats().evictions());
    }

    @Test
    void thirtyValuesOfFourMegabytesAllFitIn160Megabytes() {
        CacheEngine cache = engine(10_000, 160 * MIB, EvictionPolicy.LRU, 0);
        byte[] value = new byte[4 << 20];
        long expected = 0;
        for (int i = 0; i < 30; i++) {
            cache.put("big-" + i, value, 0);
            expected += CacheEngine.weigh("big-" + i, value);
        }
        assertEquals(30, cache.size());
        assertEquals(expected, cache.memoryBytes());
        assertEquals(0, cache.stats().evictions());
    }

    @Test
    void oneEntryMayUseTheWholeBudgetButNoMore() {
        long budget = 64 * MIB;
        CacheEngine cache = engine(1_000, budget, EvictionPolicy.LRU, 4);
        assertEquals(budget, cache.maxEntryWeight());
        for (int i = 0; i < 100; i++) {
            cache.put(key(i), new byte[1000], 0);
        }
        byte[] whole = new byte[(int) (budget - CacheEngine.weigh("whole", new byte[0]))];
        assertThrows(EntryTooLargeException.class, () -> cache.put("whole", new byte[whole.length + 1], 0));
        assertEquals(100, cache.size(), "a refused entry changes nothing");
        cache.put("whole", whole, 0);
        assertEquals(1, cache.size(), "everything else made room, in every segment");
        assertEquals(budget, cache.memoryBytes());
        assertArrayEquals(whole, cache.peek("whole"));
        assertEquals(100, cache.stats().evictions());
    }

    /** With 4 entries over 64 segments a new key usually lands alone: the victim must come from another segment. */
    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void aKeyAloneInItsSegmentEvictsFromTheOthers(EvictionPolicy policy) {
        CacheEngine cache = engine(4, LARGE_MEMORY_BYTES, policy, 64);
        for (int i = 0; i < 100; i++) {
            cache.put("k" + i, new byte[1 + i % 7], policy == EvictionPolicy.TTL ? HOUR + i : 0);
            assertNotNull(cache.peek("k" + i), "k" + i + " was its own victim");
            assertEquals(Math.min(i + 1, 4), cache.size());
        }
        assertEquals(96, cache.stats().evictions());
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void eightWritersNeverLeaveTheCacheOverItsLimits(EvictionPolicy policy) throws InterruptedException {
        long maxSize = 2_000;
        long budget = 512 << 10;
        CacheEngine cache = engine(maxSize, budget, policy, 8);
        int threads = 8;
        int perThread = 5_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    // distinct keys, so every put inserts and evictions = puts - size exactly
                    cache.put(thread + "-" + i, new byte[(i * 31 + thread) % 400], (i % 3 == 0) ? HOUR : 0);
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        long largestEntry = CacheEngine.weigh("7-4999", new byte[399], HOUR);
        assertTrue(cache.size() <= maxSize, "size " + cache.size());
        assertTrue(cache.memoryBytes() <= budget, "memory " + cache.memoryBytes());
        assertTrue(cache.size() == maxSize || budget - cache.memoryBytes() < largestEntry,
                   "one limit is reached to within one entry: " + cache.size() + " entries, "
                   + cache.memoryBytes() + " bytes");
        assertEquals((long) threads * perThread - cache.size(), cache.stats().evictions());
    }

    private static String key(long i) {
        return String.format("key-%08d", i);       // one length, so all entries weigh the same
    }
}
