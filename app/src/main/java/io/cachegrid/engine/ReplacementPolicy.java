package io.cachegrid.engine;

import java.util.Collection;

/**
 * The bookkeeping of one eviction rule inside one segment. The segment owns the table and calls these hooks
 * under its policy lock (a change holds its table lock too; see {@link Segment}); the policy keeps whatever order
 * it needs (through the entries' links and their {@link Entry#state()}, plus structures of its own) and
 * names the segment's next victim, which the segment evicts whenever the whole cache is over a limit
 * ({@link Evictor}): the rule is exact within a segment, and the segments share the cache's limits. Every hook
 * is O(1) or O(log n). {@code hash} is the key's full hash ({@link Keys}), for policies that count keys.
 */
interface ReplacementPolicy {

    /** A new entry joined the segment. */
    void onInsert(Entry entry, long hash);

    /** A live entry was read. */
    void onAccess(Entry entry, long hash);

    /** A live entry got a new value or deadline in place (after {@link #onSwap} if its object changed). */
    void onUpdate(Entry entry, long oldWeight, long hash);

    /**
     * {@code fresh} takes the place of {@code old}, same key, in every structure of the policy, with old's state:
     * a rewrite that adds or drops a TTL changes the entry's class. {@link #onUpdate} follows.
     */
    void onSwap(Entry old, Entry fresh);

    /** An entry left the segment (deleted, expired, evicted or cleared one by one). */
    void onRemove(Entry entry);

    /**
     * Whether the policy's per-entry state is an index (a full int) rather than at most two bits: the segment
     * then makes {@link IndexedEntry} objects, 4 bytes larger.
     */
    default boolean indexesEntries() {
        return false;
    }

    /** A read found no live entry for the key; only frequency-aware policies care. */
    default void onMiss(long hash) {
    }

    /** The entry to evict next; null only when the policy holds nothing. Choosing does not remove it. */
    Entry victim();

    /**
     * The key hash of {@code victim}, an entry {@link #victim} just named: a policy that hashed it to choose
     * answers from that, saving the eviction a second pass over the key's bytes; otherwise recomputed.
     */
    default long victimHash(Entry victim) {
        return victim.hash();
    }

    /** Forgets every entry at once. */
    void clear();

    /** Throws if the policy's bookkeeping does not hold exactly these entries, consistently. */
    void checkInvariants(Collection<Entry> entries);

    /** {@code share} is what the segment is expected to hold; only tinylfu sizes structures by it. */
    static ReplacementPolicy create(EvictionPolicy policy, SegmentLimits share) {
        return switch (policy) {
            case LRU -> new LruPolicy();
            case LFU -> new LfuPolicy();
            case TTL -> new TtlPolicy();
            case SIZE -> new SizePolicy();
            case TINYLFU -> new TinyLfuPolicy(share);
        };
    }
}
