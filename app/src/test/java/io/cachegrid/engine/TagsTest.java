package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tags: stored with the entry, and the tag index exact under every way an entry changes or leaves (the base class
 * checks the index against the table after each test; {@link #assertIndexMatchesEntries} checks it from outside).
 */
class TagsTest extends EngineTestSupport {

    @Test
    void tagsRoundTripAndLeaveTheValueAlone() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        String longKey = "k".repeat(20_000);                       // a LONG_KEY, with its length prefix
        List<String> tags = List.of("plain", "ünïcödé", "emoji-\uD83D\uDE00", "lone-\uD800", "", "x".repeat(255));
        for (String key : List.of("k", longKey, "ключ")) {
            cache.put(key, bytes("{\"v\":1}"), 0, tags);
            Stored stored = cache.getStored(key);
            assertEquals(tags, stored.tags());
            assertEquals("{\"v\":1}", text(stored.value().toByteArray()));
            assertEquals("{\"v\":1}", text(cache.get(key)));
            assertEquals("{\"v\":1}", text(cache.getView(key).toByteArray()));
            assertEquals("{\"v\":1}", text(cache.peek(key)));
        }
        assertEquals(Set.of("k", longKey, "ключ"), new HashSet<>(cache.keysWithTag("lone-\uD800", 0, 10).keys()));
        cache.put("dup", bytes("1"), 0, List.of("a", "b", "a"));
        assertEquals(List.of("a", "b"), cache.peekStored("dup").tags(), "duplicates dropped, order kept");
        cache.put("none", bytes("1"), 0, List.of());
        assertEquals(List.of(), cache.peekStored("none").tags());
    }

    @Test
    void formatLimitsAreRefusedAndChangeNothing() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        cache.put("k", bytes("old"), 0, List.of("t"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= CacheEngine.MAX_TAGS; i++) {
            tooMany.add("t" + i);
        }
        assertThrows(IllegalArgumentException.class, () -> cache.put("k", bytes("new"), 0, tooMany));
        assertThrows(IllegalArgumentException.class,
                     () -> cache.put("k", bytes("new"), 0, List.of("é".repeat(128))));     // 256 bytes
        assertEquals("old", text(cache.peek("k")));
        assertEquals(List.of("t"), cache.peekStored("k").tags());
    }

    @Test
    void overwriteReplacesTags() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LFU);
        cache.put("k", bytes("1"), 0, List.of("a", "b"));
        cache.put("k", bytes("2"), 0, List.of("b", "c"));
        assertEquals(List.of(), cache.keysWithTag("a", 0, 10).keys());
        assertEquals(List.of("k"), cache.keysWithTag("b", 0, 10).keys());
        assertEquals(List.of("k"), cache.keysWithTag("c", 0, 10).keys());
        cache.put("k", bytes("3"), TimeUnit.SECONDS.toNanos(5), List.of("d"));   // new entry object (TTL)
        cache.put("k", bytes("4"), 0);                                          // untagged: a new object again
        for (String tag : List.of("a", "b", "c", "d")) {
            assertEquals(0, cache.keysWithTag(tag, 0, 10).totalFound(), tag);
        }
        cache.put("k", bytes("5"), 0, List.of("e"));
        assertEquals(List.of("k"), cache.keysWithTag("e", 0, 10).keys());
        assertIndexMatchesEntries(cache, List.of("k"), List.of("a", "b", "c", "d", "e"));
    }

    @Test
    void deleteAndClearEmptyTheIndex() {
        CacheEngine cache = engine(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4);
        for (int i = 0; i < 20; i++) {
            cache.put("k" + i, bytes("v"), 0, List.of("all", "mod" + (i % 3)));
        }
        assertEquals(20, cache.keysWithTag("all", 0, 100).totalFound());
        assertTrue(cache.delete("k0"));
        assertTrue(cache.deleteIf("k1", Condition.ANY).applied());
        assertEquals(18, cache.keysWithTag("all", 0, 100).totalFound());
        assertEquals(6, cache.keysWithTag("mod0", 0, 100).totalFound());
        long withTags = cache.memoryBytes();
        cache.clear();
        assertEquals(0, cache.keysWithTag("all", 0, 100).totalFound());
        assertEquals(0, cache.memoryBytes(), "the index's own weight goes with it (was " + withTags + ")");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void evictionKeepsTheIndexExact(EvictionPolicy policy) {
        CacheEngine cache = engine(50, LARGE_MEMORY_BYTES, policy, 2);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            cache.put("k" + i, bytes("v".repeat(i % 17)), 0, List.of("all", "mod" + (i % 7)));
            keys.add("k" + i);
            if (i % 3 == 0) {
                cache.get("k" + (i / 2));
            }
        }
        assertEquals(50, cache.size());
        assertEquals(50, cache.keysWithTag("all", 0, 1000).totalFound());
        assertIndexMatchesEntries(cache, keys, List.of("all", "mod0", "mod3", "mod6"));
    }

    @Test
    void memoryEvictionCountsTheTags() {
        long oneEntry = CacheEngine.weigh("k00", bytes("v"), 0, List.of("tag-a", "tag-b"));
        CacheEngine cache = engine(1_000, 10 * oneEntry + 2 * (TagIndex.SET_TAG_BYTES + 5), EvictionPolicy.LRU, 1);
        for (int i = 0; i < 30; i++) {
            cache.put("k" + (10 + i), bytes("v"), 0, List.of("tag-a", "tag-b"));
        }
        assertEquals(10, cache.size());
        assertEquals(10 * oneEntry + 2 * (TagIndex.SET_TAG_BYTES + 5), cache.memoryBytes());
    }

    @Test
    void expiryKeepsTheIndexExact() {
        CacheEngine cache = engine(100, LARGE_MEMORY_BYTES, EvictionPolicy.TTL, 2);
        for (int i = 0; i < 30; i++) {
            cache.put("k" + i, bytes("v"), TimeUnit.SECONDS.toNanos(1 + i % 3), List.of("t", "s" + (i % 3)));
        }
        ticker.advance(1, TimeUnit.SECONDS);                 // the s0 third is due
        assertEquals(20, cache.keysWithTag("t", 0, 100).totalFound(), "expired entries are not listed");
        assertNull(cache.getStored("k0"));                   // lazy removal
        cache.expireDue();                                   // the sweep
        assertEquals(20, cache.size());
        assertEquals(0, cache.keysWithTag("s0", 0, 100).totalFound());
        ticker.advance(1, TimeUnit.SECONDS);
        assertEquals(10, cache.invalidateTag("t"), "invalidation counts live entries only");
        assertEquals(0, cache.size());
        assertEquals(0, cache.memoryBytes());
        assertEquals(20, cache.stats().expirations());
    }

    @Test
    void invalidateRemovesEveryCarrierAndNothingElse() {
        CacheEngine cache = engine(1_000, LARGE_MEMORY_BYTES, EvictionPolicy.TINYLFU, 8);
        for (int i = 0; i < 200; i++) {
            cache.put("k" + i, bytes("v"), 0, i % 2 == 0 ? List.of("even", "all") : List.of("all"));
        }
        cache.put("plain", bytes("v"), 0);
        assertEquals(100, cache.invalidateTag("even"));
        assertEquals(0, cache.invalidateTag("even"));
        assertEquals(0, cache.invalidateTag("no-such-tag"));
        assertEquals(101, cache.size());
        assertEquals(100, cache.keysWithTag("all", 0, 1000).totalFound());
        for (int i = 0; i < 200; i++) {
            assertEquals(i % 2 != 0, cache.peek("k" + i) != null, "k" + i);
        }
        assertEquals(100, cache.invalidateTag("all"));
        assertEquals(List.of("plain"), cache.keys("", 10).keys());
    }

    @Test
    void keysWithTagPagesThroughEveryKeyOnce() {
        CacheEngine cache = engine(1_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 8);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 237; i++) {
            cache.put("k" + i, bytes("v"), 0, List.of("t"));
            expected.add("k" + i);
        }
        cache.put("other", bytes("v"), 0, List.of("u"));
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 300; offset += 50) {
            KeyPage page = cache.keysWithTag("t", offset, 50);
            assertEquals(237, page.totalFound());
            assertEquals(Math.max(0, Math.min(50, 237 - offset)), page.keys().size());
            paged.addAll(page.keys());
        }
        assertEquals(237, paged.size());
        assertEquals(expected, new HashSet<>(paged));
        assertEquals(cache.keysWithTag("t", 0, 1000).keys(), paged, "pages fit together in one stable order");
        assertEquals(0, cache.keysWithTag("t", 0, 0).keys().size());
        assertThrows(IllegalArgumentException.class, () -> cache.keysWithTag("t", -1, 10));
    }

    /**
     * The index seen from outside: for each tag, keysWithTag lists exactly the live keys whose stored tags carry it.
     */
    static void assertIndexMatchesEntries(CacheEngine cache, List<String> keys, List<String> tags) {
        for (String tag : tags) {
            Set<String> carriers = new HashSet<>();
            for (String key : keys) {
                Stored stored = cache.peekStored(key);
                if (stored != null && stored.tags().contains(tag)) {
                    carriers.add(key);
                }
            }
            KeyPage page = cache.keysWithTag(tag, 0, Integer.MAX_VALUE);
            List<String> listed = new ArrayList<>(page.keys());
            assertEquals(listed.size(), new HashSet<>(listed).size(), "no key listed twice under " + tag);
            Collections.sort(listed);
            List<String> sorted = new ArrayList<>(carriers);
            Collections.sort(sorted);
            assertEquals(sorted, listed, "carriers of " + tag);
            assertEquals(carriers.size(), page.totalFound());
        }
    }
}
