package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** putIf / deleteIf: each condition, what a refusal reports and counts, and races with exactly one winner. */
class ConditionalWriteTest extends EngineTestSupport {

    @Test
    void absentAppliesOnlyWhenNoLiveEntry() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        WriteResult first = cache.putIf("k", bytes("1"), TimeUnit.SECONDS.toNanos(5), List.of(), Condition.ABSENT);
        assertTrue(first.applied());
        WriteResult second = cache.putIf("k", bytes("2"), 0, List.of(), Condition.ABSENT);
        assertFalse(second.applied());
        assertEquals(first.version(), second.version(), "a refusal reports the current version");
        assertEquals("1", text(cache.peek("k")));
        ticker.advance(5, TimeUnit.SECONDS);                      // expired counts as absent
        assertTrue(cache.putIf("k", bytes("3"), 0, List.of(), Condition.ABSENT).applied());
        assertEquals("3", text(cache.peek("k")));
    }

    /** Replicated copies: each keeps the primary's version, and one that arrives late never replaces a newer one. */
    @Test
    void newerCopiesKeepTheirVersionAndOlderOnesAreRefused() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        long base = cache.versionClock().current() + 1_000_000;
        WriteResult second = cache.putIf("k", bytes("2"), 0, List.of("t"), Condition.newer(base + 2));
        assertTrue(second.applied());
        assertEquals(base + 2, cache.peekStored("k").version(), "the copy keeps the version it was sent with");
        WriteResult late = cache.putIf("k", bytes("1"), 0, List.of(), Condition.newer(base + 1));
        assertFalse(late.applied(), "an older copy arriving late");
        assertEquals(base + 2, late.version());
        assertFalse(cache.putIf("k", bytes("1"), 0, List.of(), Condition.newer(base + 2)).applied(), "same version");
        assertEquals("2", text(cache.peek("k")));
        assertEquals(List.of("t"), cache.peekStored("k").tags());
        assertTrue(cache.putIf("k", bytes("3"), 0, List.of(), Condition.newer(base + 3)).applied());
        assertEquals("3", text(cache.peek("k")));
        assertTrue(cache.put("k", bytes("4"), 0, List.of()) > base + 3, "the clock moved past the versions it saw");
    }

    @Test
    void presentAndVersionNeedALiveEntry() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LFU);
        assertEquals(new WriteResult(false, 0), cache.putIf("k", bytes("1"), 0, List.of(), Condition.PRESENT));
        assertEquals(new WriteResult(false, 0), cache.putIf("k", bytes("1"), 0, List.of(), Condition.version(1)));
        assertNull(cache.peek("k"));
        long v1 = cache.put("k", bytes("1"), 0, List.of());
        WriteResult stale = cache.putIf("k", bytes("x"), 0, List.of(), Condition.version(v1 - 1));
        assertEquals(new WriteResult(false, v1), stale);
        WriteResult cas = cache.putIf("k", bytes("2"), 0, List.of("t"), Condition.version(v1));
        assertTrue(cas.applied());
        assertTrue(cas.version() > v1);
        assertEquals(cas.version(), cache.peekStored("k").version());
        assertEquals(List.of("t"), cache.peekStored("k").tags());
        assertFalse(cache.putIf("k", bytes("3"), 0, List.of(), Condition.version(v1)).applied(), "v1 is spent");
        assertTrue(cache.putIf("k", bytes("3"), 0, List.of(), Condition.PRESENT).applied());
    }

    @Test
    void refusedWritesCountNothingAppliedOnesCountASet() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.TINYLFU);
        cache.putIf("k", bytes("1"), 0, List.of(), Condition.ABSENT);
        cache.putIf("k", bytes("1"), 0, List.of(), Condition.ABSENT);
        cache.putIf("k", bytes("1"), 0, List.of(), Condition.version(3));
        cache.deleteIf("k", Condition.version(3));
        cache.deleteIf("nothing", Condition.ANY);
        assertEquals(1, cache.stats().sets());
        assertEquals(0, cache.stats().deletes());
        assertEquals(1, cache.size());
    }

    @Test
    void deleteIfVersion() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        long v = cache.put("k", bytes("1"), 0, List.of("t"));
        assertEquals(new WriteResult(false, v), cache.deleteIf("k", Condition.version(v + 1)));
        assertEquals("1", text(cache.peek("k")));
        assertEquals(new WriteResult(true, v), cache.deleteIf("k", Condition.version(v)));
        assertNull(cache.peek("k"));
        assertEquals(0, cache.keysWithTag("t", 0, 10).totalFound());
        assertEquals(new WriteResult(false, 0), cache.deleteIf("k", Condition.ANY));
        cache.put("k", bytes("1"), 0);
        assertTrue(cache.deleteIf("k", Condition.PRESENT).applied());
        assertEquals(2, cache.stats().deletes(), "the two applied deletes");
        assertThrows(IllegalArgumentException.class, () -> cache.deleteIf("k", Condition.ABSENT));
    }

    @Test
    void conditionalWritesMakeRoomLikePuts() {
        CacheEngine cache = singleSegment(3, EvictionPolicy.LRU);
        for (String key : List.of("a", "b", "c")) {
            cache.put(key, bytes(key), 0);
        }
        assertTrue(cache.putIf("d", bytes("d"), 0, List.of("t"), Condition.ABSENT).applied());
        assertNull(cache.peek("a"), "the lru victim made room");
        assertEquals(3, cache.size());
        assertFalse(cache.putIf("e", bytes("e"), 0, List.of(), Condition.PRESENT).applied());
        assertEquals(3, cache.size());
        assertTrue(cache.increment("n", 1, 0) instanceof IncrResult.Incremented);
        assertEquals(3, cache.size());
    }

    /** Each round, every thread reads the version and tries to swap it: exactly one may succeed. */
    @Test
    void compareAndSetRacesHaveExactlyOneWinnerPerRound() throws Exception {
        CacheEngine cache = engine(1_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4);
        int threads = 6;
        int rounds = 500;
        cache.put("k", bytes("0"), 0);
        AtomicInteger winners = new AtomicInteger();
        List<Integer> winnersPerRound = new ArrayList<>();
        long[] readVersions = new long[threads];
        CyclicBarrier read = new CyclicBarrier(threads);
        CyclicBarrier done = new CyclicBarrier(threads, () -> {
            winnersPerRound.add(winners.getAndSet(0));
        });
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int round = 0; round < rounds; round++) {
                        readVersions[id] = cache.getStored("k").version();
                        read.await();                   // everybody has read the same version
                        WriteResult result = cache.putIf("k", bytes(round + ":" + id), 0, List.of(),
                                                         Condition.version(readVersions[id]));
                        if (result.applied()) {
                            winners.incrementAndGet();
                        }
                        done.await();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(rounds, winnersPerRound.size());
        for (int round = 0; round < rounds; round++) {
            assertEquals(1, winnersPerRound.get(round), "winners in round " + round);
        }
        assertEquals(rounds + 1, cache.stats().sets());
    }

    @Test
    void setIfAbsentRacesHaveOneWinner() throws Exception {
        CacheEngine cache = engine(10_000, LARGE_MEMORY_BYTES, EvictionPolicy.TINYLFU, 8);
        int threads = 6;
        int keys = 2_000;
        int[] wins = new int[threads];
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                for (int k = 0; k < keys; k++) {
                    if (cache.putIf("key-" + k, bytes(Integer.toString(id)), 0, List.of(), Condition.ABSENT)
                            .applied()) {
                        wins[id]++;
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        int total = 0;
        for (int win : wins) {
            total += win;
        }
        assertEquals(keys, total, "each key has exactly one winner");
        assertEquals(keys, cache.size());
        assertEquals(keys, cache.stats().sets());
    }
}
