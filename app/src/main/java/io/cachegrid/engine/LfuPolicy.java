package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Least frequently used, in O(1) per operation (the scheme of Shah, Mitra and Matani, "An O(1) algorithm for
 * implementing the LFU cache eviction scheme", 2010).
 *
 * <p>Entries sit in frequency buckets; the buckets form a list in ascending frequency and only frequencies that
 * some entry has get a bucket. A new entry joins the frequency-1 bucket at the head. A read moves the entry to
 * the bucket for frequency + 1, right after its current one, creating it if missing and dropping the old bucket
 * if it empties. The victim is the head of the lowest bucket. Within a bucket entries are in the order they
 * reached that frequency, i.e. of their last access, so ties go to the least recently used.
 *
 * <p>An entry names its bucket by id in its {@link Entry#state}; the policy maps ids to buckets in an array.
 * Ids of dropped buckets are reused, so the array is no longer than the most buckets ever in use at once
 * (rounded up to a power of two), and there are never more buckets than distinct frequencies or entries.
 *
 * <p>A write to an existing key counts as an access: the key keeps its history.
 */
final class LfuPolicy implements ReplacementPolicy {
    private static final int INITIAL_IDS = 8;

    /** The entries that have been accessed exactly {@code frequency} times, least recently used first. */
    static final class Bucket {
        final int id;
        final long frequency;
        final EntryList entries = new EntryList();
        Bucket prev;
        Bucket next;

        Bucket(int id, long frequency) {
            this.id = id;
            this.frequency = frequency;
        }
    }

    private Bucket lowest;
    /** Buckets by id; null for a free id. */
    private Bucket[] byId = new Bucket[INITIAL_IDS];
    /** Free ids below {@link #nextId}, a stack. */
    private int[] freeIds = new int[INITIAL_IDS];
    private int freeCount;
    private int nextId;

    @Override
    public void onInsert(Entry entry, long hash) {
        Bucket first = lowest;
        if (first == null || first.frequency != 1) {
            first = newBucket(1);
            linkAfter(null, first);
        }
        join(first, entry);
    }

    @Override
    public void onAccess(Entry entry, long hash) {
        Bucket current = bucketOf(entry);
        Bucket target = current.next;
        if (target == null || target.frequency != current.frequency + 1) {
            target = newBucket(current.frequency + 1);
            linkAfter(current, target);
        }
        leave(entry);
        join(target, entry);
    }

    @Override
    public void onUpdate(Entry entry, long oldWeight, long hash) {
        onAccess(entry, hash);
    }

    @Override
    public void onSwap(Entry old, Entry fresh) {
        bucketOf(old).entries.swap(old, fresh);
        fresh.state(old.state());
    }

    @Override
    public void onRemove(Entry entry) {
        leave(entry);
    }

    @Override
    public Entry victim() {
        return lowest == null ? null : lowest.entries.first();
    }

    @Override
    public void clear() {
        lowest = null;
        byId = new Bucket[INITIAL_IDS];
        freeIds = new int[INITIAL_IDS];
        freeCount = 0;
        nextId = 0;
    }

    @Override
    public void checkInvariants(Collection<Entry> entries) {
        List<Entry> bucketed = new ArrayList<>(entries.size());
        Bucket previous = null;
        int buckets = 0;
        for (Bucket bucket = lowest; bucket != null; bucket = bucket.next) {
            Invariants.check(bucket.prev == previous, "lfu bucket prev link at frequency " + bucket.frequency);
            Invariants.check(previous == null || previous.frequency < bucket.frequency, "lfu buckets ascending");
            Invariants.check(!bucket.entries.isEmpty(), "lfu bucket " + bucket.frequency + " is empty");
            Invariants.check(bucket.id < nextId && byId[bucket.id] == bucket, "lfu bucket id " + bucket.id);
            for (Entry entry : bucket.entries.checkedEntries()) {
                Invariants.check(entry.state() == bucket.id, "lfu bucket id of " + entry);
                bucketed.add(entry);
            }
            previous = bucket;
            buckets++;
        }
        Invariants.check(buckets + freeCount == nextId, "lfu ids: " + buckets + " buckets, " + freeCount
                + " free ids, " + nextId + " issued");
        for (int i = 0; i < freeCount; i++) {
            Invariants.check(byId[freeIds[i]] == null, "lfu free id " + freeIds[i] + " in use");
        }
        Invariants.sameEntries("lfu buckets", entries, bucketed);
    }

    private Bucket bucketOf(Entry entry) {
        return byId[entry.state()];
    }

    private Bucket newBucket(long frequency) {
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = nextId++;
            if (id == byId.length) {
                byId = Arrays.copyOf(byId, id * 2);
                freeIds = Arrays.copyOf(freeIds, id * 2);
            }
        }
        Bucket bucket = new Bucket(id, frequency);
        byId[id] = bucket;
        return bucket;
    }

    private void join(Bucket bucket, Entry entry) {
        bucket.entries.addLast(entry);
        entry.state(bucket.id);
    }

    private void leave(Entry entry) {
        Bucket bucket = bucketOf(entry);
        bucket.entries.remove(entry);
        entry.state(Entry.NOT_IN_HEAP);
        if (bucket.entries.isEmpty()) {
            unlink(bucket);
            byId[bucket.id] = null;
            freeIds[freeCount++] = bucket.id;
        }
    }

    /** Links the bucket after {@code previous}, or first when previous is null. */
    private void linkAfter(Bucket previous, Bucket bucket) {
        Bucket following = previous == null ? lowest : previous.next;
        bucket.prev = previous;
        bucket.next = following;
        if (previous == null) {
            lowest = bucket;
        } else {
            previous.next = bucket;
        }
        if (following != null) {
            following.prev = bucket;
        }
    }

    private void unlink(Bucket bucket) {
        if (bucket.prev == null) {
            lowest = bucket.next;
        } else {
            bucket.prev.next = bucket.next;
        }
        if (bucket.next != null) {
            bucket.next.prev = bucket.prev;
        }
    }

    /** Bucket ids and heap indexes need a full int per entry. */
    @Override
    public boolean indexesEntries() {
        return true;
    }
}
