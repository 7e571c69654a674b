package io.cachegrid.engine;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tombstones (a clustered engine): a delete leaves one, an older copy cannot bring the key back, a newer write
 * replaces it, it expires after its grace period, and nobody sees it but the memory figure. The invariant checker
 * runs after each test ({@link EngineTestSupport}), tombstones included.
 */
class TombstoneTest extends EngineTestSupport {

    private static final long GRACE = TimeUnit.SECONDS.toNanos(300);

    private CacheEngine clustered() {
        return clustered(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4, GRACE);
    }

    @Test
    void anOlderCopyAfterAVersionedDeleteDoesNotResurrectTheKey() {
        CacheEngine cache = clustered();
        long base = cache.versionClock().current() + 1_000_000;
        assertTrue(cache.putIf("k", bytes("1"), 0, List.of(), Condition.newer(base + 1)).applied());
        assertEquals(new WriteResult(true, base + 3), cache.deleteVersioned("k", base + 3));
        assertNull(cache.get("k"));
        assertEquals(base + 3, cache.tombstoneVersion("k"));
        WriteResult late = cache.putIf("k", bytes("2"), 0, List.of(), Condition.newer(base + 2));
        assertFalse(late.applied(), "a copy of a write older than the delete");
        assertEquals(base + 3, late.version(), "the refusal names the tombstone's version");
        assertFalse(cache.putIf("k", bytes("2"), 0, List.of(), Condition.newer(base + 3)).applied(), "same version");
        assertNull(cache.peek("k"));
        assertTrue(cache.putIf("k", bytes("4"), 0, List.of(), Condition.newer(base + 4)).applied(), "a newer copy");
        assertEquals("4", text(cache.peek("k")));
        assertEquals(0, cache.tombstoneVersion("k"), "the newer copy replaced the tombstone");
        assertEquals(0, cache.tombstoneCount());
    }

    @Test
    void aVersionedDeleteOlderThanTheLiveEntryOrTheTombstoneIsRefused() {
        CacheEngine cache = clustered();
        long base = cache.versionClock().current() + 1_000_000;
        cache.putIf("k", bytes("1"), 0, List.of(), Condition.newer(base + 5));
        assertEquals(new WriteResult(false, base + 5), cache.deleteVersioned("k", base + 4));
        assertEquals("1", text(cache.peek("k")));
        assertTrue(cache.deleteVersioned("k", base + 6).applied());
        assertEquals(new WriteResult(false, base + 6), cache.deleteVersioned("k", base + 6));
        assertTrue(cache.deleteVersioned("k", base + 7).applied(), "a newer delete renews the tombstone");
        assertEquals(base + 7, cache.tombstoneVersion("k"));
        assertTrue(cache.deleteVersioned("absent", base + 8).applied(), "a delete of a key never seen");
        assertEquals(base + 8, cache.tombstoneVersion("absent"));
        assertThrows(IllegalArgumentException.class, () -> cache.deleteVersioned("k", 0));
    }

    @Test
    void localDeletesLeaveTombstonesAndLocalWritesReplaceThem() {
        CacheEngine cache = clustered();
        long v1 = cache.put("k", bytes("1"), 0, List.of());
        assertTrue(cache.delete("k"));
        long dead = cache.tombstoneVersion("k");
        assertTrue(Long.compareUnsigned(dead, v1) > 0, "the delete's version is newer than the value's");
        assertFalse(cache.putIf("k", bytes("old"), 0, List.of(), Condition.newer(v1)).applied());
        assertFalse(cache.delete("never"), "nothing removed ...");
        assertTrue(cache.tombstoneVersion("never") != 0, "... but the delete is remembered");
        long v2 = cache.put("k", bytes("2"), 0, List.of());
        assertTrue(Long.compareUnsigned(v2, dead) > 0);
        assertEquals(0, cache.tombstoneVersion("k"));
        long v3 = cache.increment("k2", 1, 0) instanceof IncrResult.Incremented(long value, long version) ? version : 0;
        assertTrue(cache.deleteIf("k2", Condition.version(v3)).applied());
        assertTrue(cache.tombstoneVersion("k2") != 0, "a conditional delete leaves one too");
        assertTrue(cache.increment("k2", 1, 0) instanceof IncrResult.Incremented(long value, long version)
                   && value == 1, "a counter starts afresh after a delete");
        assertEquals(0, cache.tombstoneVersion("k2"));
        assertEquals("2", text(cache.get("k")));
    }

    @Test
    void tombstonesAreNotEntriesButAreAccountedInMemory() {
        CacheEngine cache = clustered();
        cache.put("live", bytes("1"), 0);
        long oneEntry = cache.memoryBytes();
        cache.put("gone", bytes("2"), 0);
        cache.delete("gone");
        assertEquals(1, cache.size());
        assertEquals(1, cache.stats().size());
        assertEquals(1, cache.stats().deletes());
        assertEquals(List.of("live"), cache.keys("", 10).keys());
        assertEquals(1, cache.keys("", 10).totalFound());
        assertNull(cache.get("gone"));
        assertNull(cache.getStored("gone"));
        assertEquals(-2, cache.ttlRemainingNanos("gone"));
        assertEquals(oneEntry + Keys.encodedLength("gone") + Tombstones.OVERHEAD_BYTES, cache.memoryBytes());
        assertEquals(1, cache.tombstoneCount());
        cache.clear();
        assertEquals(0, cache.size());
        assertEquals(1, cache.tombstoneCount(), "a clear keeps what was deleted deleted");
        assertEquals(Keys.encodedLength("gone") + Tombstones.OVERHEAD_BYTES, cache.memoryBytes());
    }

    @Test
    void tombstonesExpireAfterTheGracePeriodThroughTheSweep() {
        CacheEngine cache = clustered();
        long base = cache.versionClock().current() + 1_000_000;
        for (int i = 0; i < 200; i++) {
            cache.deleteVersioned("k" + i, base + i + 1);
        }
        ticker.advance(100, TimeUnit.SECONDS);
        cache.deleteVersioned("late", base + 1000);
        assertEquals(201, cache.tombstoneCount());
        ticker.advance(199, TimeUnit.SECONDS);
        cache.expireDue();
        assertEquals(201, cache.tombstoneCount(), "nothing before the grace period ends");
        assertEquals(base + 1, cache.tombstoneVersion("k0"));
        ticker.advance(1, TimeUnit.SECONDS);
        assertEquals(0, cache.tombstoneVersion("k0"), "a tombstone past its deadline no longer counts");
        assertTrue(cache.putIf("k1", bytes("old"), 0, List.of(), Condition.newer(base)).applied(),
                   "past the grace period an old copy is stored again: the trade-off of a finite grace");
        cache.expireDue();
        assertEquals(1, cache.tombstoneCount(), "only the later one is left");
        assertEquals(0, cache.stats().expirations(), "tombstones are no user-visible expirations");
        assertEquals(1, cache.size());
        ticker.advance(100, TimeUnit.SECONDS);
        cache.expireDue();
        assertEquals(0, cache.tombstoneCount());
        assertEquals(CacheEngine.weigh("k1", bytes("old")), cache.memoryBytes());
    }

    @Test
    void aVersionedTagInvalidationRemovesOlderEntriesAndLeavesTombstones() {
        CacheEngine cache = clustered();
        long base = cache.versionClock().current() + 1_000_000;
        cache.putIf("a", bytes("1"), 0, List.of("t"), Condition.newer(base + 1));
        cache.putIf("b", bytes("1"), 0, List.of("t", "u"), Condition.newer(base + 2));
        cache.putIf("after", bytes("1"), 0, List.of("t"), Condition.newer(base + 9));
        cache.putIf("other", bytes("1"), 0, List.of("u"), Condition.newer(base + 3));
        assertEquals(2, cache.invalidateTag("t", base + 5));
        assertNull(cache.peek("a"));
        assertNull(cache.peek("b"));
        assertEquals("1", text(cache.peek("after")), "written after the invalidation, in version order");
        assertEquals(base + 5, cache.tombstoneVersion("a"));
        assertFalse(cache.putIf("a", bytes("late"), 0, List.of("t"), Condition.newer(base + 1)).applied(),
                    "a late copy of an invalidated key stays gone");
        assertEquals(List.of("other"), cache.keysWithTag("u", 0, 10).keys());
        long local = cache.invalidateTag("t");
        assertEquals(1, local, "unversioned, the clustered engine takes a new version and removes the rest");
        assertTrue(cache.tombstoneVersion("after") != 0);
    }

    @Test
    void aSingleNodeEngineKeepsNoTombstones() {
        CacheEngine cache = singleSegment(10, EvictionPolicy.LRU);
        long v1 = cache.put("k", bytes("1"), 0, List.of("t"));
        cache.delete("k");
        assertEquals(0, cache.tombstoneCount());
        assertEquals(0, cache.memoryBytes());
        assertTrue(cache.putIf("k", bytes("1"), 0, List.of(), Condition.newer(v1)).applied());
        assertTrue(cache.deleteVersioned("k", v1 + 1).applied());
        assertNull(cache.peek("k"));
        assertEquals(0, cache.tombstoneCount());
        assertEquals(0, cache.memoryBytes());
        assertFalse(cache.keepsTombstones());
    }

    @Test
    void aDiscardedCopyLeavesNoTombstone() {
        CacheEngine cache = clustered();
        long v = cache.put("k", bytes("1"), 0, List.of());
        assertFalse(cache.discard("k", v - 1), "another version: kept");
        assertTrue(cache.discard("k", v));
        assertEquals(0, cache.tombstoneCount());
        assertEquals(1, cache.stats().sets());
        assertEquals(0, cache.stats().deletes());
        assertTrue(cache.putIf("k", bytes("1"), 0, List.of(), Condition.newer(v)).applied());
    }
}
