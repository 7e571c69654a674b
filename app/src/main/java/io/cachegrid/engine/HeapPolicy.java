package io.cachegrid.engine;

import java.util.Collection;

/**
 * A policy whose victim is the least entry under a fixed order of entry attributes, kept in an indexed binary
 * heap: insert, remove and re-order after a write cost O(log n), naming the victim O(1). Reads do not change
 * the order. Subclasses only say what the order is.
 *
 * <p>The entry's heap index is its {@link Entry#state}. The tie-breaker, the order of writes (a counter of this
 * policy's inserts and updates: "oldest write first"), is kept in the heap beside the entry, not in it.
 */
abstract class HeapPolicy implements ReplacementPolicy {
    private final EntryHeap heap;
    private final String name;
    private long writes;

    HeapPolicy(String name, EntryHeap.Order evictFirst) {
        this.name = name;
        this.heap = new EntryHeap(evictFirst, EntryHeap.POLICY_SLOT, true);
    }

    @Override
    public final void onInsert(Entry entry, long hash) {
        heap.add(entry, ++writes);
    }

    @Override
    public final void onAccess(Entry entry, long hash) {
        // the order depends on attributes a read does not change
    }

    @Override
    public final void onUpdate(Entry entry, long oldWeight, long hash) {
        heap.update(entry, ++writes);
    }

    @Override
    public final void onSwap(Entry old, Entry fresh) {
        heap.swap(old, fresh);
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

    /** Bucket ids and heap indexes need a full int per entry. */
    @Override
    public boolean indexesEntries() {
        return true;
    }
}
