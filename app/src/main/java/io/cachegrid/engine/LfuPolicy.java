package io.cachegrid.engine;

import java.util.ArrayList;
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
 * <p>A write to an existing key counts as an access: the key keeps its history.
 */
final class LfuPolicy implements ReplacementPolicy {

    /** The entries that have been accessed exactly {@code frequency} times, least recently used first. */
    static final class Bucket {
        final long frequency;
        final EntryList entries = new EntryList();
        Bucket prev;
        Bucket next;

        Bucket(long frequency) {
            this.frequency = frequency;
        }
    }

    private Bucket lowest;

    @Override
    public void onInsert(Entry entry) {
        Bucket first = lowest;
        if (first == null || first.frequency != 1) {
            first = new Bucket(1);
            linkAfter(null, first);
        }
        join(first, entry);
    }

    @Override
    public void onAccess(Entry entry) {
        Bucket current = entry.bucket;
        Bucket target = current.next;
        if (target == null || target.frequency != current.frequency + 1) {
            target = new Bucket(current.frequency + 1);
            linkAfter(current, target);
        }
        leave(entry);
        join(target, entry);
    }

    @Override
    public void onUpdate(Entry entry, long oldWeight) {
        onAccess(entry);
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
    }

    @Override
    public void checkInvariants(Collection<Entry> entries) {
        List<Entry> bucketed = new ArrayList<>(entries.size());
        Bucket previous = null;
        for (Bucket bucket = lowest; bucket != null; bucket = bucket.next) {
            Invariants.check(bucket.prev == previous, "lfu bucket prev link at frequency " + bucket.frequency);
            Invariants.check(previous == null || previous.frequency < bucket.frequency, "lfu buckets ascending");
            Invariants.check(!bucket.entries.isEmpty(), "lfu bucket " + bucket.frequency + " is empty");
            for (Entry entry : bucket.entries.checkedEntries()) {
                Invariants.check(entry.bucket == bucket, "lfu bucket pointer of " + entry);
                bucketed.add(entry);
            }
            previous = bucket;
        }
        Invariants.sameEntries("lfu buckets", entries, bucketed);
    }

    private void join(Bucket bucket, Entry entry) {
        bucket.entries.addLast(entry);
        entry.bucket = bucket;
    }

    private void leave(Entry entry) {
        Bucket bucket = entry.bucket;
        bucket.entries.remove(entry);
        entry.bucket = null;
        if (bucket.entries.isEmpty()) {
            unlink(bucket);
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
}
