package io.cachegrid.engine;

import java.util.Collection;
import java.util.Comparator;

/**
 * A policy whose victim is the least entry under a fixed order of entry attributes, kept in an indexed binary
 * heap: insert, remove and re-order after a write cost O(log n), naming the victim O(1). Reads do not change
 * the order. Subclasses only say what the order is.
 */
abstract class HeapPolicy implements ReplacementPolicy {
    private final EntryHeap heap;
    private final String name;

    HeapPolicy(String name, Comparator<Entry> evictFirst) {
        this.name = name;
        this.heap = new EntryHeap(evictFirst, EntryHeap.POLICY_SLOT);
    }

    @Override
    public final void onInsert(Entry entry) {
        heap.add(entry);
    }

    @Override
    public final void onAccess(Entry entry) {
        // the order depends on attributes a read does not change
    }

    @Override
    public final void onUpdate(Entry entry, long oldWeight) {
        heap.update(entry);
    }

    @Override
    public final void onRemove(Entry entry) {
        heap.remove(entry);
    }

    @Override
    public final Entry victim() {
        return heap.peek();
    }

    @Override
    public final void clear() {
        heap.clear();
    }

    @Override
    public final void checkInvariants(Collection<Entry> entries) {
        Invariants.sameEntries(name + " heap", entries, heap.checkedEntries());
    }
}
