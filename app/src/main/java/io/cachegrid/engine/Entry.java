package io.cachegrid.engine;

/**
 * One cached key/value pair, carrying the intrusive links and slots of every index that may hold it, so
 * that no index allocates a node of its own per entry. All fields are guarded by the owning segment's lock.
 */
final class Entry {
    static final long NO_DEADLINE = Long.MAX_VALUE;
    static final int NOT_IN_HEAP = -1;

    final String key;
    byte[] value;
    long weight;
    /** Absolute ticker time at which the entry expires; {@link #NO_DEADLINE} if it never does. */
    long deadline;
    /** Segment-wide write sequence number: the "oldest first" tie-breaker. */
    long writeOrder;

    /** Links in an {@link EntryList}: the lru order, an lfu bucket or a tinylfu region. */
    Entry prev;
    Entry next;
    /** Position in the policy's heap (ttl, size). */
    int policyIndex = NOT_IN_HEAP;
    /** Position in the segment's expiry heap. */
    int expiryIndex = NOT_IN_HEAP;
    /** lfu: the frequency bucket holding this entry. */
    LfuPolicy.Bucket bucket;
    /** tinylfu: which region (window, probation, protected) holds this entry. */
    byte region;

    Entry(String key, byte[] value, long weight, long deadline, long writeOrder) {
        this.key = key;
        this.value = value;
        this.weight = weight;
        this.deadline = deadline;
        this.writeOrder = writeOrder;
    }

    boolean hasDeadline() {
        return deadline != NO_DEADLINE;
    }

    boolean isExpired(long now) {
        return now >= deadline;
    }

    @Override
    public String toString() {
        return "Entry[" + key + ", weight=" + weight + "]";
    }
}
