package io.cachegrid.engine;

import java.util.Collection;

/**
 * Least recently used. One intrusive list in access order: a read or write moves the entry to the tail,
 * so the head is always the entry untouched for longest, and it is the victim. Every operation is O(1).
 * Needs nothing per entry beyond the links.
 */
final class LruPolicy implements ReplacementPolicy {
    private final EntryList accessOrder = new EntryList();

    @Override
    public void onInsert(Entry entry, long hash) {
        accessOrder.addLast(entry);
    }

    @Override
    public void onAccess(Entry entry, long hash) {
        accessOrder.moveToLast(entry);
    }

    @Override
    public void onUpdate(Entry entry, long oldWeight, long hash) {
        accessOrder.moveToLast(entry);
    }

    @Override
    public void onSwap(Entry old, Entry fresh) {
        accessOrder.swap(old, fresh);
    }

    @Override
    public void onRemove(Entry entry) {
        accessOrder.remove(entry);
    }

    @Override
    public Entry victim() {
        return accessOrder.first();
    }

    @Override
    public void clear() {
        accessOrder.clear();
    }

    @Override
    public void checkInvariants(Collection<Entry> entries) {
        Invariants.sameEntries("lru list", entries, accessOrder.checkedEntries());
    }
}
