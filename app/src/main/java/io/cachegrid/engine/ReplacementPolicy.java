package io.cachegrid.engine;

import java.util.Collection;

/**
 * The bookkeeping of one eviction rule inside one segment. The segment owns the map and calls these hooks
 * under its lock; the policy keeps whatever order it needs (intrusively, through the entries' fields) and
 * names the next victim. Every hook is O(1) or O(log n).
 */
interface ReplacementPolicy {

    /** A new entry joined the segment. */
    void onInsert(Entry entry);

    /** A live entry was read. */
    void onAccess(Entry entry);

    /** A live entry got a new value, weight or deadline in place. */
    void onUpdate(Entry entry, long oldWeight);

    /** An entry left the segment (deleted, expired, evicted or cleared one by one). */
    void onRemove(Entry entry);

    /** A read found no live entry for the key; only frequency-aware policies care. */
    default void onMiss(String key) {
    }

    /** The entry to evict next; null only when the policy holds nothing. Choosing does not remove it. */
    Entry victim();

    /** Forgets every entry at once. */
    void clear();

    /** Throws if the policy's bookkeeping does not hold exactly these entries, consistently. */
    void checkInvariants(Collection<Entry> entries);

    static ReplacementPolicy create(EvictionPolicy policy, SegmentLimits limits) {
        return switch (policy) {
            case LRU -> new LruPolicy();
            case LFU -> new LfuPolicy();
            case TTL -> new TtlPolicy();
            case SIZE -> new SizePolicy();
            case TINYLFU -> new TinyLfuPolicy(limits);
        };
    }
}
