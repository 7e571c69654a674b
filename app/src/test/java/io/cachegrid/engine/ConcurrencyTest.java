package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eight threads hammer a small cache with random reads, writes, deletes, sweeps and clock ticks while a watcher
 * samples the occupancy. Afterwards the counters must match what the threads did, the limits must never have
 * been seen exceeded by more than the puts in flight (and not at all at the end), every value read must belong to
 * its key, and the invariants must hold (checked by the base class). Run for every policy.
 */
class ConcurrencyTest extends EngineTestSupport {
    private static final int THREADS = 8;
    private static final int OPS_PER_THREAD = 100_000;
    private static final int KEY_SPACE = 3_000;
    private static final long MAX_SIZE = 1_000;
    /** About 880 entries of the average weight (~330 B), near the 1,000-item limit: both limits bind. */
    private static final long MAX_MEMORY_BYTES = 288 << 10;
    private static final int SEGMENTS = 8;
    private static final int MAX_VALUE_BYTES = 512;
    private static final long MAX_TTL_NANOS = 2_000_000;
    private static final long TICK_NANOS = 1_000;

    /** What the threads of one run did, to compare with the cache's own counters. */
    private record Tally(LongAdder gets, LongAdder puts, LongAdder deleted, ConcurrentLinkedQueue<String> wrongValues) {
        Tally() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new ConcurrentLinkedQueue<>());
        }
    }

    @TestFactory
    Stream<DynamicTest> limitsCountersAndBookkeepingSurviveConcurrentUse() {
        return Arrays.stream(EvictionPolicy.values())
                .map(policy -> DynamicTest.dynamicTest(policy.configName(), () -> hammer(policy)));
    }

    private void hammer(EvictionPolicy policy) throws InterruptedException {
        CacheEngine cache = engine(MAX_SIZE, MAX_MEMORY_BYTES, policy, SEGMENTS);
        LongAccumulator largestSize = new LongAccumulator(Math::max, 0);
        LongAccumulator largestMemory = new LongAccumulator(Math::max, 0);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                largestSize.accumulate(cache.size());
                largestMemory.accumulate(cache.memoryBytes());
                Thread.yield();                 // a sampler, not a spinner: leave the cores to the workers
            }
        });
        Tally tally = new Tally();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 31L * t + policy.ordinal();
            workers.add(Thread.ofPlatform().start(() -> work(cache, new SplittableRandom(seed), tally)));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        running.set(false);
        watcher.join();

        CacheStats stats = cache.stats();
        assertTrue(tally.wrongValues().isEmpty(), "values read under the wrong key: " + tally.wrongValues().peek());
        // a put that found room stores before it checks again, so while writes are in flight the totals may exceed
        // a limit by one entry per writer (Evictor); at quiescence they may not (checkInvariants, below)
        assertTrue(largestSize.get() <= MAX_SIZE + THREADS, "size seen " + largestSize.get());
        long largestEntry = CacheEngine.weigh("key-" + (KEY_SPACE - 1), new byte[8 + MAX_VALUE_BYTES], 1);
        assertTrue(largestMemory.get() <= MAX_MEMORY_BYTES + THREADS * largestEntry,
                   "memory seen " + largestMemory.get());
        assertTrue(largestSize.get() > 0.8 * MAX_SIZE || largestMemory.get() > 0.8 * MAX_MEMORY_BYTES,
                   "the cache never filled up, so the limits were not exercised");
        assertEquals(tally.gets().sum(), stats.hits() + stats.misses());
        assertEquals(tally.puts().sum(), stats.sets());
        assertEquals(tally.deleted().sum(), stats.deletes());
        assertTrue(stats.evictions() > 0 && stats.expirations() > 0, stats.toString());
        cache.checkInvariants();
    }

    private void work(CacheEngine cache, SplittableRandom random, Tally tally) {
        for (int op = 0; op < OPS_PER_THREAD; op++) {
            String key = "key-" + random.nextInt(KEY_SPACE);
            int dice = random.nextInt(100);
            if (dice < 50) {
                if (!belongsTo(key, cache.get(key))) {
                    tally.wrongValues().add(key);
                }
                tally.gets().increment();
            } else if (dice < 85) {
                long ttl = random.nextBoolean() ? random.nextLong(MAX_TTL_NANOS) : 0;
                cache.put(key, valueFor(key, random.nextInt(MAX_VALUE_BYTES)), ttl);
                tally.puts().increment();
            } else if (dice < 95) {
                if (cache.delete(key)) {
                    tally.deleted().increment();
                }
            } else if (dice < 97) {
                cache.expireDue();
            } else {
                ticker.advanceNanos(TICK_NANOS * random.nextInt(1, 50));
            }
        }
    }

    /** A value that starts with its own key, so a read can tell whether it got someone else's. */
    private static byte[] valueFor(String key, int extraBytes) {
        byte[] keyBytes = key.getBytes(UTF_8);
        return Arrays.copyOf(keyBytes, keyBytes.length + extraBytes);
    }

    private static boolean belongsTo(String key, byte[] value) {
        byte[] keyBytes = key.getBytes(UTF_8);
        return value == null || value.length >= keyBytes.length
                && Arrays.equals(value, 0, keyBytes.length, keyBytes, 0, keyBytes.length);
    }
}
