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
 * one {@code HashMap} node and its table slot, no copy of the key. A tag carried by one entry of the segment maps
 * straight to that entry, with no set (tags unique to a key, such as {@code user:42}, are common, and a set of
 * one costs about 180 bytes more); the second member makes it a set, and a set shrinking to one member turns back
 * into the entry, so the representation, and the weight, follow from the members alone.
 *
 * <p>Memory is accounted in two parts: {@link #PAIR_BYTES} per (tag, entry) pair, in the entry's weight
 * ({@link Entry#weight}), whichever the representation; and per distinct tag of the segment, its encoded length
 * plus {@link #SINGLE_TAG_BYTES} or {@link #SET_TAG_BYTES}, in the segment's weight ({@link #weight}).
 */
final class TagIndex {
    /**
     * Retained heap per (tag, entry) pair in a member set: a {@code HashMap.Node}, 32 B (12 header + hash 4 +
     * three references 12, padded), plus its table slot, a 4-byte reference at 37.5-75% load, 5.3-10.7 B; 40 B.
     * Measured by {@code TagMemoryTest}: 39.6-40.6 B.
     */
    static final int PAIR_BYTES = 40;
    /**
     * Retained heap of a tag carried by one entry of the segment, beyond the tag's bytes and the entry's
     * {@link #PAIR_BYTES} (which it does not use: no set node): the outer map's node (32 B) and slot (~8 B), the tag
     * String (24 B) and its array header (16 B + padding), less the pair's 40 B: about 44 B. Measured by
     * {@code TagMemoryTest}: 45.3-49.2 B.
     */
    static final int SINGLE_TAG_BYTES = 46;
    /**
     * Retained heap of a tag carried by two or more entries of the segment, beyond its bytes and its pairs: what
     * {@link #SINGLE_TAG_BYTES} counts plus the pair's 40 B, the member {@code HashSet} (16 B), its {@code HashMap}
     * (48 B) and its first table (16 B header + 16 slots): about 228 B. Measured by {@code TagMemoryTest} (tags of
     * two members): 215.4-217.7 B.
     */
    static final int SET_TAG_BYTES = 216;

    /** Tag to its one member (an {@link Entry}) or its members (a {@code HashSet<Entry>} of two or more). */
    private final Map<String, Object> byTag = new HashMap<>();
    private long weight;

    /** Indexes the entry under each of its tags. */
    void add(Entry entry) {
        for (String tag : entry.tags()) {
            Object members = byTag.get(tag);
            if (members == null) {
                byTag.put(tag, entry);
                weight += tagWeight(tag, 1);
            } else if (members instanceof Entry single) {
                Set<Entry> set = new HashSet<>();
                set.add(single);
                set.add(entry);
                byTag.put(tag, set);
                weight += tagWeight(tag, 2) - tagWeight(tag, 1);
            } else {
                setOf(members).add(entry);
            }
        }
    }

    /** Drops the entry from each of its tags' members; a tag left with none goes. */
    void remove(Entry entry) {
        for (String tag : entry.tags()) {
            Object members = byTag.get(tag);
            if (members == entry) {
                byTag.remove(tag);
                weight -= tagWeight(tag, 1);
                continue;
            }
            Invariants.check(members instanceof Set<?> set && set.remove(entry),
                             "tag index lacks " + entry + " under " + tag);
            Set<Entry> set = setOf(members);
            if (set.size() == 1) {
                byTag.put(tag, set.iterator().next());
                weight -= tagWeight(tag, 2) - tagWeight(tag, 1);
            }
        }
    }

    /** The entries carrying the tag (live or not yet swept), a view to read under the lock; empty for none. */
    Collection<Entry> members(String tag) {
        Object members = byTag.get(tag);
        if (members == null) {
            return Set.of();
        }
        return members instanceof Entry single ? Set.of(single) : setOf(members);
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

    /** Checks that the index holds exactly each entry under each of its tags, in the right form, and its weight. */
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
            Object members = byTag.get(tag.getKey());
            Invariants.check(members instanceof Entry == (tag.getValue().size() == 1),
                             "tag index form of " + tag.getKey() + " for " + tag.getValue().size() + " members");
            Invariants.sameEntries("tag index of " + tag.getKey(), tag.getValue(), members(tag.getKey()));
            expectedWeight += tagWeight(tag.getKey(), tag.getValue().size());
        }
        Invariants.check(expectedWeight == weight, "tag index weight " + weight + ", expected " + expectedWeight);
    }

    @SuppressWarnings("unchecked")
    private static Set<Entry> setOf(Object members) {
        return (Set<Entry>) members;
    }

    /** The accounted weight of a tag of the segment with that many members (beyond their pairs). */
    private static long tagWeight(String tag, int members) {
        return (members == 1 ? SINGLE_TAG_BYTES : SET_TAG_BYTES) + Keys.encodedLength(tag);
    }
}
