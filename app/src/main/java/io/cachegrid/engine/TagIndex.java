package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One segment's index from tag to the entries of that segment carrying it, so that invalidating or listing a tag
 * costs O(entries carrying it), not a scan of the cache. Guarded by the segment's locks like its table: changed
 * only under both, read under the read lock.
 *
 * <p>Exact: the segment adds an entry's tags when it is inserted, and removes them whenever it leaves (delete,
 * eviction, expiry, invalidation) or is rewritten (the new tags replace the old; an entry object swapped for one
 * of another class is re-indexed); {@link #clear} empties it with the table. {@link #checkInvariants} rebuilds
 * the index from the table's entries and compares.
 *
 * <p>Members are held by identity ({@link Entry} keeps {@code Object}'s equals and hashCode), so a member costs
 * one {@code HashMap} node and its table slot, no copy of the key. Memory is accounted in two parts:
 * {@link #PAIR_BYTES} per (tag, entry) pair, in the entry's weight ({@link Entry#weight}); and per distinct tag of
 * the segment, {@link #TAG_BYTES} plus the tag's encoded length, in the segment's weight ({@link #weight}).
 */
final class TagIndex {
    /**
     * Retained heap per (tag, entry) pair: a {@code HashMap.Node} of the member set, 32 B (12 header + hash 4 +
     * three references 12, padded), plus its table slot, a 4-byte reference at 37.5-75% load, 5.3-10.7 B; 40 B.
     * Measured by {@code TagMemoryTest}: see its comment for the figures.
     */
    static final int PAIR_BYTES = 40;
    /**
     * Retained heap per distinct tag per segment, beyond its bytes: the outer map's node (32 B) and slot (~8 B),
     * the tag String (24 B + a 16 B array header, padding), the member {@code HashSet} (16 B), its
     * {@code HashMap} (48 B) and first table (16 B header + 16 slots), about 224 B. Measured by
     * {@code TagMemoryTest}.
     */
    static final int TAG_BYTES = 224;

    private final Map<String, Set<Entry>> byTag = new HashMap<>();
    private long weight;

    /** Indexes the entry under each of its tags. */
    void add(Entry entry) {
        for (String tag : entry.tags()) {
            Set<Entry> members = byTag.get(tag);
            if (members == null) {
                members = new HashSet<>();
                byTag.put(tag, members);
                weight += tagWeight(tag);
            }
            members.add(entry);
        }
    }

    /** Drops the entry from each of its tags' members; a tag left with none goes. */
    void remove(Entry entry) {
        for (String tag : entry.tags()) {
            Set<Entry> members = byTag.get(tag);
            Invariants.check(members != null && members.remove(entry), "tag index lacks " + entry + " under " + tag);
            if (members.isEmpty()) {
                byTag.remove(tag);
                weight -= tagWeight(tag);
            }
        }
    }

    /** The entries carrying the tag (live or not yet swept), a view to read under the lock; empty for none. */
    Collection<Entry> members(String tag) {
        Set<Entry> members = byTag.get(tag);
        return members == null ? Set.of() : members;
    }

    /** A copy of {@link #members}, for removing them while walking. */
    List<Entry> membersCopy(String tag) {
        return new ArrayList<>(members(tag));
    }

    void clear() {
        byTag.clear();
        weight = 0;
    }

    /** The accounted bytes of the index beyond its pairs (those are in the entries' weights). */
    long weight() {
        return weight;
    }

    int tagCount() {
        return byTag.size();
    }

    /** Checks that the index holds exactly each entry under each of its tags, and its weight. */
    void checkInvariants(List<Entry> entries) {
        Map<String, List<Entry>> expected = new HashMap<>();
        for (Entry entry : entries) {
            for (String tag : entry.tags()) {
                expected.computeIfAbsent(tag, t -> new ArrayList<>()).add(entry);
            }
        }
        Invariants.check(expected.keySet().equals(byTag.keySet()),
                         "tag index tags " + byTag.keySet() + " but the entries carry " + expected.keySet());
        long expectedWeight = 0;
        for (Map.Entry<String, List<Entry>> tag : expected.entrySet()) {
            Invariants.sameEntries("tag index of " + tag.getKey(), tag.getValue(), byTag.get(tag.getKey()));
            expectedWeight += tagWeight(tag.getKey());
        }
        Invariants.check(expectedWeight == weight, "tag index weight " + weight + ", expected " + expectedWeight);
    }

    private static long tagWeight(String tag) {
        return TAG_BYTES + Keys.encodedLength(tag);
    }
}
