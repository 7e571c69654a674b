package io.cachegrid.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's paged (key, version) walk over live entries and tombstones, its bounds, the one-lock read of a key's
 * version, a versioned clear (epoch) that refuses older copies, and pushed tombstones that keep only what was left
 * of their grace period. The invariant checker runs after each test ({@link EngineTestSupport}).
 */
class ScanAndClearEpochTest extends EngineTestSupport {

    private static final long GRACE = TimeUnit.SECONDS.toNanos(300);

    private CacheEngine clustered(int segments) {
        return clustered(100_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, segments, GRACE);
    }

    /** Walks every page; checks each page's bounds; returns key to what was seen (each key must be seen once). */
    private static Map<String, KeyVersion> walk(CacheEngine cache, int maxItems, long maxKeyBytes, long longestKey) {
        Map<String, KeyVersion> seen = new HashMap<>();
        long cursor = VersionPage.START;
        int pages = 0;
        do {
            VersionPage page = cache.scan(cursor, maxItems, maxKeyBytes);
            // a page ends between probe runs: only a run longer than a page (possible for tiny pages) exceeds it
            boolean tiny = maxItems < 100 || maxKeyBytes < 1000;
            assertTrue(tiny || page.items().size() <= maxItems, "page of " + page.items().size() + " > " + maxItems);
            long bytes = page.items().stream().mapToLong(item -> item.key().length()).sum();
            assertTrue(tiny || bytes < maxKeyBytes + longestKey, "page of " + bytes + " key bytes");
            for (KeyVersion item : page.items()) {
                assertNull(seen.put(item.key(), item), "seen twice: " + item.key());
            }
            cursor = page.cursor();
            assertTrue(++pages < 100_000, "the walk ends");
        } while (cursor != VersionPage.DONE);
        return seen;
    }

    @Test
    void aWalkInBoundedPagesSeesEveryLiveKeyAndTombstoneOnceWithItsVersion() {
        CacheEngine cache = clustered(8);
        Map<String, Long> versions = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            versions.put("key-" + i, cache.put("key-" + i, bytes("" + i), i % 2 == 0 ? 0 : TimeUnit.HOURS.toNanos(1),
                                               List.of()));
        }
        for (int i = 0; i < 500; i++) {
            assertTrue(cache.delete("key-" + i));
            versions.put("key-" + i, cache.tombstoneVersion("key-" + i));
        }
        Map<String, KeyVersion> seen = walk(cache, 100, 4096, 9);
        assertEquals(versions.size(), seen.size());
        versions.forEach((key, version) -> {
            KeyVersion item = seen.get(key);
            assertEquals(version, item.version(), key);
            assertEquals(Integer.parseInt(key.substring(4)) < 500, item.tombstone(), key);
            assertEquals(cache.versionOf(key), item, "one key's state read alone agrees with the walk");
        });
        assertEquals(5_000, walk(cache, 7, 20, 9).size(), "small pages, bytes bounding before items");
        assertEquals(5_000, walk(cache, 1, 1, 9).size(), "one key a page");
    }

    @Test
    void aPageOfAHugeEngineHoldsOnlyItsBound() {
        CacheEngine cache = clustered(1);
        for (int i = 0; i < 50_000; i++) {
            cache.put("k" + i, bytes("1"), 0);
        }
        VersionPage page = cache.scan(VersionPage.START, 500, 1 << 20);
        assertTrue(page.items().size() <= 500 && page.items().size() >= 400, "page of " + page.items().size());
        assertFalse(page.done());
        VersionPage byBytes = cache.scan(VersionPage.START, 10_000, 2_000);
        long bytes = byBytes.items().stream().mapToLong(item -> item.key().length()).sum();
        assertTrue(bytes < 2_000 + "k49999".length() && bytes > 1_000, "bytes bound (one key over at most): " + bytes);
        assertThrows(IllegalArgumentException.class, () -> cache.scan(-2, 1, 1));
    }

    @Test
    void droppingEachPageWhileWalkingMissesNoKey() {
        CacheEngine cache = clustered(4);
        for (int i = 0; i < 20_000; i++) {
            cache.put("drop-" + i, bytes("1"), 0);
        }
        long cursor = VersionPage.START;
        int dropped = 0;
        do { // what rebalancing does: hand a page's keys over, drop them, walk on
            VersionPage page = cache.scan(cursor, 500, 1 << 20);
            for (KeyVersion item : page.items()) {
                assertTrue(cache.discard(item.key(), item.version()), item.key());
                dropped++;
            }
            cursor = page.cursor();
        } while (cursor != VersionPage.DONE);
        assertEquals(20_000, dropped);
        assertEquals(0, cache.size(), "a key shifted back behind the cursor would have been missed");
    }

    @Test
    void expiredEntriesAndTombstonesAreNotListed() {
        CacheEngine cache = clustered(2);
        cache.put("short", bytes("1"), TimeUnit.SECONDS.toNanos(1));
        cache.put("gone", bytes("1"), 0);
        cache.delete("gone");
        cache.put("stays", bytes("1"), 0);
        ticker.advance(301, TimeUnit.SECONDS);
        assertEquals(Map.of("stays", cache.versionOf("stays")), walk(cache, 10, 100, 5));
        assertNull(cache.versionOf("gone"));
        assertNull(cache.versionOf("short"));
    }

    @Test
    void aVersionedClearRemovesOlderEntriesKeepsNewerOnesAndRefusesOlderCopiesAfterwards() {
        CacheEngine cache = clustered(4);
        long base = cache.versionClock().current() + 1_000_000;
        for (int i = 0; i < 100; i++) {
            cache.putIf("old-" + i, bytes("1"), 0, List.of(), Condition.newer(base + i));
        }
        cache.putIf("newer", bytes("2"), 0, List.of(), Condition.newer(base + 500));
        cache.deleteVersioned("deleted-before", base + 150);
        cache.deleteVersioned("deleted-after", base + 250);
        long epoch = base + 200;
        assertEquals(100, cache.clear(epoch));
        assertEquals(epoch, cache.clearEpoch());
        assertEquals(1, cache.size());
        assertEquals("2", text(cache.peek("newer")), "written after the clear in version order");
        assertEquals(0, cache.tombstoneVersion("deleted-before"), "the clear covers an older delete");
        assertEquals(base + 250, cache.tombstoneVersion("deleted-after"), "a newer delete stays");
        WriteResult late = cache.putIf("old-5", bytes("1"), 0, List.of(), Condition.newer(base + 5));
        assertFalse(late.applied(), "a late copy of a write before the clear");
        assertEquals(epoch, late.version());
        assertFalse(cache.putIf("x", bytes("1"), 0, List.of(), Condition.newer(epoch)).applied(), "at the epoch");
        assertFalse(cache.deleteVersioned("x", base + 7).applied(), "a delete from before the clear is moot");
        assertNull(cache.peek("old-5"));
        assertTrue(cache.putIf("old-5", bytes("3"), 0, List.of(), Condition.newer(epoch + 1)).applied());
        cache.put("local", bytes("4"), 0);
        assertTrue(Long.compareUnsigned(cache.versionOf("local").version(), epoch) > 0, "local writes are newer");
        assertEquals(0, cache.clear(base + 100), "an older clear removes nothing newer");
        assertEquals(epoch, cache.clearEpoch(), "and does not lower the epoch");
    }

    @Test
    void anUnversionedClearOfASingleNodeIsAsBefore() {
        CacheEngine cache = engine(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 2);
        cache.put("a", bytes("1"), 0);
        assertEquals(1, cache.clear());
        assertEquals(0, cache.clearEpoch());
        cache.put("a", bytes("1"), 0);
        assertEquals("1", text(cache.peek("a")));
    }

    @Test
    void aPushedTombstoneKeepsOnlyWhatWasLeftOfItsGracePeriod() {
        CacheEngine cache = clustered(2);
        long base = cache.versionClock().current() + 1_000_000;
        cache.put("long", bytes("1"), 0);
        cache.delete("long");                                             // full grace: 300 s
        assertTrue(cache.deleteVersioned("pushed", base, TimeUnit.SECONDS.toNanos(10)).applied());
        assertEquals(TimeUnit.SECONDS.toNanos(10), cache.versionOf("pushed").remainingNanos());
        assertTrue(cache.versionOf("pushed").tombstone());
        ticker.advance(11, TimeUnit.SECONDS);
        assertNull(cache.versionOf("pushed"), "dead after its own deadline though behind a longer one");
        assertEquals(0, cache.tombstoneVersion("pushed"));
        assertTrue(cache.putIf("pushed", bytes("old"), 0, List.of(), Condition.newer(base - 1)).applied(),
                   "an expired tombstone protects nothing");
        assertTrue(cache.versionOf("long").tombstone());
    }
}
