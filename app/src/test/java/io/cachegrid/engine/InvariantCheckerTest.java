package io.cachegrid.engine;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The checker run after every engine test is only worth something if it notices broken bookkeeping. */
class InvariantCheckerTest {
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
        EntryHeap heap = new EntryHeap((x, y) -> Long.compare(x.weight, y.weight), EntryHeap.POLICY_SLOT);
        List.of(c, b, a).forEach(heap::add);
        assertDoesNotThrow(heap::checkedEntries);
        a.policyIndex = 2;
        assertThrows(IllegalStateException.class, heap::checkedEntries);
    }

    @Test
    void noticesABrokenHeapOrder() {
        EntryHeap heap = new EntryHeap((x, y) -> Long.compare(x.weight, y.weight), EntryHeap.POLICY_SLOT);
        List.of(a, b, c).forEach(heap::add);
        a.weight = 10;                                   // changed without heap.update
        assertThrows(IllegalStateException.class, heap::checkedEntries);
    }

    @Test
    void noticesAPolicyThatLostOrInventedAnEntry() {
        for (EvictionPolicy kind : EvictionPolicy.values()) {
            ReplacementPolicy policy = ReplacementPolicy.create(kind, new SegmentLimits(100, 1L << 20));
            policy.onInsert(a);
            policy.onInsert(b);
            assertDoesNotThrow(() -> policy.checkInvariants(List.of(a, b)), kind.configName());
            assertThrows(IllegalStateException.class, () -> policy.checkInvariants(List.of(a, b, c)), kind.configName());
            assertThrows(IllegalStateException.class, () -> policy.checkInvariants(List.of(a)), kind.configName());
            a.prev = a.next = null;
            b.prev = b.next = null;
            a.policyIndex = b.policyIndex = Entry.NOT_IN_HEAP;
        }
    }

    @Test
    void noticesAnLfuEntryPointingAtTheWrongBucket() {
        LfuPolicy policy = new LfuPolicy();
        policy.onInsert(a);
        policy.onInsert(b);
        policy.onAccess(b);
        a.bucket = b.bucket;
        assertThrows(IllegalStateException.class, () -> policy.checkInvariants(List.of(a, b)));
    }

    private static Entry entry(String key, long weight) {
        return new Entry(key, new byte[0], weight, Entry.NO_DEADLINE, weight);
    }
}
