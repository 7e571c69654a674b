package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** increment: created at 0, 64-bit arithmetic, integer text only, and nothing changes on a refusal. */
class IncrementTest extends EngineTestSupport {

    @Test
    void createsAtZeroWithTheTtlAndKeepsTagsAndDeadlineAfter() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        IncrResult created = cache.increment("n", 5, TimeUnit.SECONDS.toNanos(10));
        assertEquals(5, ((IncrResult.Incremented) created).value());
        assertEquals(((IncrResult.Incremented) created).version(), cache.peekStored("n").version());
        assertEquals(TimeUnit.SECONDS.toNanos(10), cache.ttlRemainingNanos("n"));
        ticker.advance(4, TimeUnit.SECONDS);
        IncrResult next = cache.increment("n", -7, TimeUnit.SECONDS.toNanos(100));   // ttl only when created
        assertEquals(-2, ((IncrResult.Incremented) next).value());
        assertEquals("-2", text(cache.peek("n")));
        assertEquals(TimeUnit.SECONDS.toNanos(6), cache.ttlRemainingNanos("n"));

        cache.put("tagged", bytes("41"), 0, List.of("t", "u"));
        assertEquals(42, ((IncrResult.Incremented) cache.increment("tagged", 1, 0)).value());
        Stored stored = cache.peekStored("tagged");
        assertEquals("42", text(stored.value().toByteArray()));
        assertEquals(List.of("t", "u"), stored.tags());
        assertEquals(List.of("tagged"), cache.keysWithTag("u", 0, 10).keys());
        assertEquals(4, cache.stats().sets(), "three increments and a put, one set each");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "\"5\"", "1.0", "1e3", "+1", "007", "-", "-01", " 1", "1 ", "0x10", "--1",
                            "9223372036854775808", "-9223372036854775809", "99999999999999999999", "[1]", "null"})
    void notAnIntegerLeavesTheEntryUnchanged(String value) {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LFU);
        long version = cache.put("k", bytes(value), 0, List.of("t"));
        long sets = cache.stats().sets();
        assertEquals(IncrResult.NOT_AN_INTEGER, cache.increment("k", 1, 0));
        Stored stored = cache.peekStored("k");
        assertEquals(value, text(stored.value().toByteArray()));
        assertEquals(version, stored.version());
        assertEquals(List.of("t"), stored.tags());
        assertEquals(sets, cache.stats().sets(), "a refused increment counts nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "7", "-12", "9223372036854775807", "-9223372036854775808"})
    void integerTextIsRead(String value) {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        cache.put("k", bytes(value), 0);
        long parsed = Long.parseLong(value);
        long delta = parsed > 0 ? -1 : 1;
        assertEquals(parsed + delta, ((IncrResult.Incremented) cache.increment("k", delta, 0)).value());
        assertEquals(Long.toString(parsed + delta), text(cache.peek("k")));
    }

    @Test
    void overflowLeavesTheEntryUnchanged() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        long version = cache.put("max", bytes(Long.toString(Long.MAX_VALUE)), 0, List.of());
        cache.put("min", bytes(Long.toString(Long.MIN_VALUE)), 0);
        assertEquals(IncrResult.OVERFLOW, cache.increment("max", 1, 0));
        assertEquals(IncrResult.OVERFLOW, cache.increment("min", -1, 0));
        assertEquals(IncrResult.OVERFLOW, cache.increment("max", Long.MAX_VALUE, 0));
        assertEquals(Long.toString(Long.MAX_VALUE), text(cache.peek("max")));
        assertEquals(version, cache.peekStored("max").version());
        assertEquals(Long.toString(Long.MIN_VALUE), text(cache.peek("min")));
        assertEquals(Long.MIN_VALUE + 1, ((IncrResult.Incremented) cache.increment("min", 1, 0)).value());
        assertEquals(Long.MIN_VALUE, ((IncrResult.Incremented) cache.increment("new", Long.MIN_VALUE, 0)).value());
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws InterruptedException {
        CacheEngine cache = engine(1_000, LARGE_MEMORY_BYTES, EvictionPolicy.TINYLFU, 4);
        int threads = 6;
        int increments = 20_000;
        List<Thread> workers = new ArrayList<>();
        long[] lastSeen = new long[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < increments; i++) {
                    IncrResult result = cache.increment("counter", 1, 0);
                    long value = ((IncrResult.Incremented) result).value();
                    assertTrue(value > lastSeen[id]);
                    lastSeen[id] = value;
                    cache.increment("other-" + (i % 50), 1, 0);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(Integer.toString(threads * increments), text(cache.peek("counter")));
        long others = 0;
        for (int k = 0; k < 50; k++) {
            others += Long.parseLong(text(cache.peek("other-" + k)));
        }
        assertEquals((long) threads * increments, others);
        assertEquals(2L * threads * increments, cache.stats().sets());
        assertFalse(cache.size() > 51);
    }
}
