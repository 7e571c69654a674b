package io.cachegrid.engine;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every write gives its entry a new, larger version; reads hand back the version of the value they read. */
class VersionsTest extends EngineTestSupport {

    @Test
    void everyWriteOfAKeyGetsALargerVersion() {
        CacheEngine cache = singleSegment(100, EvictionPolicy.LRU);
        long last = 0;
        long ttl = TimeUnit.SECONDS.toNanos(60);
        List<Runnable> writes = List.of(
                () -> cache.put("k", bytes("1"), 0),
                () -> cache.put("k", bytes("1"), 0),                        // same value: still a new version
                () -> cache.put("k", bytes("2"), ttl),                      // gains a TTL (new entry object)
                () -> cache.put("k", bytes("3"), ttl, List.of("a")),        // gains tags (new entry object)
                () -> cache.put("k", bytes("4"), ttl, List.of("b")),        // retagged in place
                () -> cache.increment("k", 5, 0),
                () -> cache.putIf("k", bytes("7"), 0, List.of(), Condition.PRESENT),
                () -> cache.put("k", bytes("8"), 0));                       // drops TTL and tags
        for (Runnable write : writes) {
            write.run();
            long version = cache.peekStored("k").version();
            assertTrue(version > last, version + " after " + last);
            last = version;
        }
        assertTrue(cache.versionClock().current() >= last);
    }

    @Test
    void putReturnsTheVersionThatReadsSee() {
        CacheEngine cache = singleSegment(100, EvictionPolicy.LFU);
        long version = cache.put("k", bytes("v"), 0, List.of("t"));
        Stored stored = cache.getStored("k");
        assertEquals(version, stored.version());
        assertEquals("v", text(stored.value().toByteArray()));
        assertEquals(List.of("t"), stored.tags());
        assertEquals(-1, stored.ttlRemainingNanos());
        assertEquals(version, cache.peekStored("k").version());
        long other = cache.put("other", bytes("v"), 0, List.of());
        assertTrue(other > version, "versions grow across keys too");
    }

    @Test
    void storedReportsRemainingTtlAndCountsLikeGet() {
        CacheEngine cache = singleSegment(100, EvictionPolicy.LRU);
        cache.put("k", bytes("v"), TimeUnit.SECONDS.toNanos(10), List.of("x", "y"));
        ticker.advance(4, TimeUnit.SECONDS);
        Stored stored = cache.getStored("k");
        assertEquals(TimeUnit.SECONDS.toNanos(6), stored.ttlRemainingNanos());
        assertEquals(List.of("x", "y"), stored.tags());
        assertNull(cache.getStored("missing"));
        assertEquals(1, cache.stats().hits());
        assertEquals(1, cache.stats().misses());
        cache.peekStored("k");
        cache.peekStored("missing");
        assertEquals(1, cache.stats().hits());
        assertEquals(1, cache.stats().misses());
        ticker.advance(6, TimeUnit.SECONDS);
        assertNull(cache.peekStored("k"));
        assertNull(cache.getStored("k"));
    }

    @Test
    void theVersionsOfOneKeyFollowItsWritesAcrossThreads() throws InterruptedException {
        CacheEngine cache = engine(1_000, LARGE_MEMORY_BYTES, EvictionPolicy.TINYLFU, 4);
        int threads = 4;
        int writes = 20_000;
        long[][] seen = new long[threads][writes];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < writes; i++) {
                    seen[id][i] = cache.put("shared", bytes(id + ":" + i), 0, List.of());
                }
            });
        }
        for (Thread worker : workers) {
            worker.join();
        }
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        long largest = 0;
        for (long[] versions : seen) {
            for (int i = 1; i < versions.length; i++) {
                assertTrue(versions[i] > versions[i - 1], "one thread's writes get growing versions");
            }
            for (long version : versions) {
                assertTrue(distinct.add(version), "version " + version + " given twice");
                largest = Math.max(largest, version);
            }
        }
        Stored last = cache.peekStored("shared");
        assertEquals(largest, last.version(), "the value left is the one of the largest version");
        String[] written = text(last.value().toByteArray()).split(":");
        assertEquals(largest, seen[Integer.parseInt(written[0])][Integer.parseInt(written[1])]);
    }
}
