package io.cachegrid.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys live as bytes next to their values: any String must come back whole and stay distinct from others. */
class KeyStorageTest extends EngineTestSupport {
    private final CacheEngine cache = engine(10_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4);

    @Test
    void anyUnicodeKeyIsStoredFoundAndListedAsItWas() {
        List<String> keys = List.of("plain", "é", "日本", "😀 emoji", "a/b c?d", "", "\u0000nul", "\uD800", "\uDC00x",
                                    "?", "x\uD800", "x?", "\uD83D\uDE00\uD800");
        for (int i = 0; i < keys.size(); i++) {
            cache.put(keys.get(i), bytes("value " + i), 0);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertEquals("value " + i, text(cache.get(keys.get(i))), keys.get(i));
        }
        assertEquals(keys.size(), cache.size());                    // a lone surrogate is not '?'
        assertEquals(keys.stream().sorted().toList(), cache.keys("", 100).keys().stream().sorted().toList());
        for (String key : keys) {
            assertEquals(Keys.encodedLength(key), Keys.encode(key).length, key);
            assertEquals(key, Keys.decode(Keys.encode(key), 0, Keys.encode(key).length), key);
        }
    }

    @Test
    void keysOf64KiBAndMoreUseTheLongKeyForm() {
        List<String> keys = List.of("k".repeat(0xFFFD) + "z", "k".repeat(0xFFFE) + "z", "k".repeat(0xFFFF) + "z",
                                    "k".repeat(99_999) + "z", "é".repeat(40_000));
        long expectedBytes = 0;
        for (String key : keys) {
            byte[] value = bytes("long " + key.length());
            cache.put(key, value, 0);
            expectedBytes += CacheEngine.weigh(key, value);
        }
        for (String key : keys) {
            assertEquals("long " + key.length(), text(cache.get(key)));
        }
        assertEquals(Set.copyOf(keys), Set.copyOf(cache.keys("", 10).keys()));
        assertNull(cache.get("k".repeat(0xFFFF)));
        assertEquals(keys.size(), cache.size());
        assertEquals(expectedBytes, cache.memoryBytes());
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] value = bytes("original");
        cache.put("k", value, 0);
        value[0] = 'X';                                   // the caller's array is not the cache's
        byte[] read = cache.get("k");
        assertEquals("original", text(read));
        read[0] = 'Y';                                    // nor is the one handed out
        assertEquals("original", text(cache.get("k")));
        assertArrayEquals(new byte[0], putAndGet("empty", new byte[0]));
    }

    @Test
    void rewritesThatAddOrDropATtlKeepTheEntrysPlaceInEveryPolicy() {
        for (EvictionPolicy policy : EvictionPolicy.values()) {
            CacheEngine small = engine(50, LARGE_MEMORY_BYTES, policy, 1);
            for (int i = 0; i < 40; i++) {
                small.put("k" + i, bytes("v" + i), i % 2 == 0 ? TimeUnit.HOURS.toNanos(1) : 0);
            }
            for (int i = 0; i < 40; i++) {
                small.put("k" + i, bytes("w" + i), i % 2 == 1 ? TimeUnit.HOURS.toNanos(1) : 0);
                small.checkInvariants();
            }
            for (int i = 0; i < 40; i++) {
                assertEquals("w" + i, text(small.get("k" + i)), policy.configName());
                assertEquals(i % 2 == 1, small.ttlRemainingNanos("k" + i) > 0, policy.configName());
            }
            assertEquals(0, small.stats().evictions(), policy.configName());
        }
    }

    @Test
    void tablesGrowAndShrinkThroughDeletesWithoutLosingKeys() {
        for (int i = 0; i < 5_000; i++) {
            cache.put("key-" + i, bytes(Integer.toString(i)), 0);
        }
        for (int i = 0; i < 5_000; i += 3) {
            assertTrue(cache.delete("key-" + i));
        }
        cache.checkInvariants();
        for (int i = 0; i < 5_000; i++) {
            if (i % 3 == 0) {
                assertNull(cache.get("key-" + i));
            } else {
                assertNotNull(cache.get("key-" + i), "key-" + i);
            }
        }
    }

    private byte[] putAndGet(String key, byte[] value) {
        cache.put(key, value, 0);
        return cache.get(key);
    }
}
