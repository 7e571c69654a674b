package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads take no exclusive lock (optimistic reads, accesses replayed from a buffer; see {@link Segment}): single
 * threaded the policy must still see every read in order, and concurrent writers must never make a read return
 * a wrong value or miss a key that was there all along.
 */
class OptimisticReadTest extends EngineTestSupport {

    /**
     * One lru segment against a LinkedHashMap in access order over a random trace with long runs of reads between
     * writes (many times the access buffer): the resident keys must agree after every operation.
     */
    @Test
    void singleThreadedLruMatchesAnExactModelWhateverTheReadRuns() {
        int maxSize = 100;
        CacheEngine cache = singleSegment(maxSize, EvictionPolicy.LRU);
        Map<String, Boolean> model = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > maxSize;
            }
        };
        SplittableRandom random = new SplittableRandom(7);
        long gets = 0;
        long hits = 0;
        for (int op = 0; op < 60_000; op++) {
            String key = "k" + (random.nextInt(4) == 0 ? random.nextInt(400) : random.nextInt(120));
            int dice = random.nextInt(100);
            if (dice < 90) {
                boolean hit = cache.get(key) != null;
                assertEquals(model.get(key) != null, hit, key + " at op " + op);
                gets++;
                hits += hit ? 1 : 0;
            } else if (dice < 98) {
                cache.put(key, bytes(key), 0);
                model.put(key, true);
            } else {
                assertEquals(model.remove(key) != null, cache.delete(key), key);
            }
            if (op % 997 == 0) {
                assertEquals(model.keySet(), Set.copyOf(cache.keys("", maxSize + 1).keys()), "at op " + op);
            }
        }
        assertEquals(model.keySet(), Set.copyOf(cache.keys("", maxSize + 1).keys()));
        assertEquals(hits, cache.stats().hits());
        assertEquals(gets - hits, cache.stats().misses());
        assertEquals(0, cache.droppedAccesses());
    }

    /** Reads far beyond the buffer's capacity between two writes still all count for lru and lfu. */
    @Test
    void longReadRunsAreNotLost() {
        int reads = 10 * AccessBuffer.CAPACITY + 3;
        CacheEngine lru = singleSegment(3, EvictionPolicy.LRU);
        CacheEngine lfu = singleSegment(3, EvictionPolicy.LFU);
        for (CacheEngine cache : List.of(lru, lfu)) {
            cache.put("a", bytes("1"), 0);
            cache.put("b", bytes("2"), 0);
            cache.put("c", bytes("3"), 0);
            read(cache, "a", reads);
            read(cache, "b", reads - 1);    // lru order c, a, b; lfu frequencies c 1, b reads, a reads + 1
            cache.put("d", bytes("4"), 0);
            assertEquals(null, cache.peek("c"));
            read(cache, "d", 2 * reads);    // lfu: d now the most frequent, b the least
            cache.put("e", bytes("5"), 0);
            assertEquals(0, cache.droppedAccesses());
        }
        assertEquals(null, lru.peek("a"));          // lru order was a, b, d
        assertTrue(lru.peek("b") != null && lru.peek("d") != null);
        assertEquals(null, lfu.peek("b"));          // lfu: b had one read fewer than a
        assertTrue(lfu.peek("a") != null && lfu.peek("d") != null);
    }

    /**
     * Readers hammer keys that are never removed and keys that come and go, while a writer churns the table:
     * fresh tables grown from 8 slots (every resize) and inserts and deletes among the stable keys (backward shifts
     * that move stable entries within their probe runs). A read of a stable key must always hit, with its value;
     * any other read must get its own value or nothing; counters and invariants must hold.
     */
    @Test
    void concurrentResizesAndShiftsNeverFoolAReader() throws InterruptedException {
        for (EvictionPolicy policy : List.of(EvictionPolicy.LRU, EvictionPolicy.TINYLFU, EvictionPolicy.TTL)) {
            hammerWhileResizing(policy);
        }
    }

    private void hammerWhileResizing(EvictionPolicy policy) throws InterruptedException {
        int rounds = 12;
        int stableKeys = 500;
        int churnKeys = 1_500;
        long ttl = policy == EvictionPolicy.TTL ? 1_000_000_000L : 0;
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        LongAdder reads = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<CacheEngine> current = new AtomicReference<>();
        List<CacheEngine> used = new ArrayList<>();
        CacheEngine first = freshWithStableKeys(policy, stableKeys);
        used.add(first);
        current.set(first);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            long seed = r;
            readers.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (running.get()) {
                    CacheEngine cache = current.get();
                    for (int i = 0; i < 200; i++) {
                        String stable = "s" + random.nextInt(stableKeys);
                        byte[] value = cache.get(stable);
                        if (value == null || !text(value).equals(stable)) {
                            failures.add(stable + " read " + text(value));
                        }
                        String churn = "w" + random.nextInt(churnKeys);
                        value = cache.get(churn);
                        if (value != null && !text(value).equals(churn)) {
                            failures.add(churn + " read " + text(value));
                        }
                        reads.add(2);
                    }
                }
            }));
        }
        SplittableRandom random = new SplittableRandom(99);
        for (int round = 0; round < rounds && failures.isEmpty(); round++) {
            CacheEngine cache = current.get();
            for (int pass = 0; pass < 20; pass++) {
                for (int i = 0; i < churnKeys; i++) {
                    cache.put("w" + i, bytes("w" + i), ttl);
                }
                for (int i = 0; i < churnKeys; i++) {
                    cache.delete("w" + random.nextInt(churnKeys));
                }
            }
            CacheEngine fresh = freshWithStableKeys(policy, stableKeys);
            used.add(fresh);
            current.set(fresh);
            for (int i = 0; i < churnKeys; i++) {         // grows the fresh table through every resize
                fresh.put("w" + i, bytes("w" + i), ttl);
            }
        }
        running.set(false);
        for (Thread reader : readers) {
            reader.join();
        }
        assertTrue(failures.isEmpty(), policy + ": " + failures.size() + " bad reads, e.g. " + failures.peek());
        long counted = 0;
        for (CacheEngine cache : used) {
            counted += cache.stats().hits() + cache.stats().misses();
            cache.checkInvariants();
        }
        assertEquals(reads.sum(), counted, policy + ": every read counted once");
    }

    private CacheEngine freshWithStableKeys(EvictionPolicy policy, int stableKeys) {
        CacheEngine cache = singleSegment(50_000, policy);
        for (int i = 0; i < stableKeys; i++) {
            cache.put("s" + i, bytes("s" + i), 0);
        }
        return cache;
    }
}
