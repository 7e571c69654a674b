package io.cachegrid.engine;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker run after every engine test is only worth something if it notices broken bookkeeping. */
class InvariantCheckerTest {
    private static final EntryHeap.Order BY_WEIGHT = (x, ignoredX, y, ignoredY) -> Long.compare(x.weight(), y.weight());

    private final Entry a = entry("a", 1);
    private final Entry b = entry("b", 2);
    private final Entry c = entry("c", 3);

    @Test
    void noticesABrokenListLink() {
        EntryList list = new EntryList();
        List.of(a, b, c).forEach(list::addLast);
        assertDoesNotThrow(list::checkedEntries);
        c.prev = a;
        assertThrows(IllegalStateException.class, list::checkedEntries);
    }

    @Test
    void noticesAWrongHeapIndex() {
        EntryHeap heap = new EntryHeap(BY_WEIGHT, EntryHeap.POLICY_SLOT, false);
        List.of(c, b, a).forEach(heap::add);
        assertDoesNotThrow(heap::checkedEntries);
        a.state(2);
        assertThrows(IllegalStateException.class, heap::checkedEntries);
    }

    @Test
    void noticesABrokenHeapOrder() {
        EntryHeap heap = new EntryHeap(BY_WEIGHT, EntryHeap.POLICY_SLOT, false);
        List.of(a, b, c).forEach(heap::add);
        a.data = Entry.newData(Keys.encode("a"), new byte[10]);   // changed without heap.update
        assertThrows(IllegalStateException.class, heap::checkedEntries);
    }

    @Test
    void noticesAPolicyThatLostOrInventedAnEntry() {
        for (EvictionPolicy kind : EvictionPolicy.values()) {
            ReplacementPolicy policy = ReplacementPolicy.create(kind, new SegmentLimits(100, 1L << 20));
            policy.onInsert(a, Keys.hash("a"));
            policy.onInsert(b, Keys.hash("b"));
            assertDoesNotThrow(() -> policy.checkInvariants(List.of(a, b)), kind.configName());
            assertThrows(IllegalStateException.class, () -> policy.checkInvariants(List.of(a, b, c)), kind.configName());
            assertThrows(IllegalStateException.class, () -> policy.checkInvariants(List.of(a)), kind.configName());
            a.prev = a.next = null;
            b.prev = b.next = null;
            a.state(Entry.NOT_IN_HEAP);
            b.state(Entry.NOT_IN_HEAP);
        }
    }

    @Test
    void aPlainEntryHoldsOnlyTwoBitsOfStateWithoutTouchingItsKeyLengthOrFlags() {
        Entry plain = tagged("plain", "red");
        for (int state = 0; state <= Entry.MAX_SMALL_STATE; state++) {
            plain.state(state);
            assertEquals(state, plain.state());
            assertEquals(5, plain.keyBytes());
            assertTrue(plain.tagged());
            assertEquals(List.of("red"), plain.tags());
        }
        assertThrows(IllegalStateException.class, () -> plain.state(Entry.MAX_SMALL_STATE + 1));
        assertThrows(IllegalStateException.class, () -> plain.state(Entry.NOT_IN_HEAP));
        Entry indexed = entry("indexed", 1);
        indexed.state(1 << 20);
        assertEquals(1 << 20, indexed.state());
    }

    @Test
    void noticesAnLfuEntryPointingAtTheWrongBucket() {
        LfuPolicy policy = new LfuPolicy();
        policy.onInsert(a, Keys.hash("a"));
        policy.onInsert(b, Keys.hash("b"));
        policy.onAccess(b, Keys.hash("b"));
        a.state(b.state());                              // the id of b's bucket
        assertThrows(IllegalStateException.class, () -> policy.checkInvariants(List.of(a, b)));
    }

    @Test
    void noticesATagIndexThatLostInventedOrMisfiledAnEntry() {
        Entry x = tagged("x", "red", "blue");
        Entry y = tagged("y", "red");
        Entry z = tagged("z", "green");
        TagIndex index = new TagIndex();
        index.add(x);
        index.add(y);
        assertDoesNotThrow(() -> index.checkInvariants(List.of(x, y)));
        assertThrows(IllegalStateException.class, () -> index.checkInvariants(List.of(x)));          // invented y
        assertThrows(IllegalStateException.class, () -> index.checkInvariants(List.of(x, y, z)));    // lost z
        index.remove(y);
        index.add(z);
        assertThrows(IllegalStateException.class, () -> index.checkInvariants(List.of(x, y)));       // misfiled
        assertDoesNotThrow(() -> index.checkInvariants(List.of(x, z)));
        x.data = Entry.newData(Keys.encode("x"), Tags.encode(List.of("red")), new byte[1], 0, 1); // retagged, unindexed
        assertThrows(IllegalStateException.class, () -> index.checkInvariants(List.of(x, z)));
    }

    @Test
    void noticesATombstoneThatIsLiveTooOrFromTheFutureOrOutOfOrder() {
        Tombstones tombstones = new Tombstones(1000);
        byte[] k = Keys.encode("k");
        byte[] j = Keys.encode("j");
        tombstones.put(k, Keys.hash(k), 5, 0);
        tombstones.put(j, Keys.hash(j), 6, 10);
        assertDoesNotThrow(() -> tombstones.checkInvariants(6, java.util.Set.of()));
        assertThrows(IllegalStateException.class, () -> tombstones.checkInvariants(5, java.util.Set.of())); // future
        assertThrows(IllegalStateException.class, () -> tombstones.checkInvariants(6,
                java.util.Set.of(new Tombstones.Tombstone(Keys.encode("k"), Keys.hash(k)))));            // also live
        tombstones.put(k, Keys.hash(k), 7, 5); // renewed with an earlier clock reading: clamped, order kept
        assertDoesNotThrow(() -> tombstones.checkInvariants(7, java.util.Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new Tombstones(0));
    }

    private static Entry tagged(String key, String... tags) {
        byte[] data = Entry.newData(Keys.encode(key), Tags.encode(List.of(tags)), new byte[1], 0, 1);
        return Entry.create(data, key.length(), true, Keys.hash(key), Entry.NO_DEADLINE);
    }

    /** An indexed entry, which every policy can hold (a plain one holds only tinylfu's two bits of state). */
    private static Entry entry(String key, int valueBytes) {
        return Entry.create(true, Entry.newData(Keys.encode(key), new byte[valueBytes]), key.length(), false, false,
                            Keys.hash(key), Entry.NO_DEADLINE);
    }
}
