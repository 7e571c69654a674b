package io.cachegrid.engine;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock stripe of the cache: a table of entries, its eviction policy and its expiry heap, all guarded by one
 * lock, enforcing its share of both limits exactly.
 *
 * <p>A write makes room first and stores second, so the limits hold at every step, even inside the lock, and
 * the entry being written is never its own victim (if a policy would rather evict the entry being rewritten,
 * it is dropped and stored afresh). Occupancy is published through two volatile fields at the end of each
 * change, so {@link #size()} and {@link #weight()} read it without the lock, never torn.
 *
 * <p>Keys arrive as {@code (key, hash)}: the String, its bytes unless it is ASCII, and its hash
 * ({@link Keys}), computed by the caller outside the lock. A read hands back the entry's data array, which is
 * never written after it is stored, so the caller copies the value out after the lock is released.
 */
final class Segment {
    private static final EntryHeap.Order BY_DEADLINE =
            (a, ignoredA, b, ignoredB) -> Long.compare(a.deadline(), b.deadline());

    private final ReentrantLock lock = new ReentrantLock();
    private final EntryTable table = new EntryTable();
    /** Only the entries that have a deadline, soonest first: expiry work is O(expired · log n). */
    private final EntryHeap expiry = new EntryHeap(BY_DEADLINE, EntryHeap.EXPIRY_SLOT, false);
    private final ReplacementPolicy policy;
    private final SegmentLimits limits;
    private final StatsCounter stats;
    private long weight;
    private volatile int publishedCount;
    private volatile long publishedWeight;

    Segment(EvictionPolicy policy, SegmentLimits limits, StatsCounter stats) {
        this.policy = ReplacementPolicy.create(policy, limits);
        this.limits = limits;
        this.stats = stats;
    }

    int size() {
        return publishedCount;
    }

    long weight() {
        return publishedWeight;
    }

    /** The live entry's data array (key, then value) or null; counts a hit or a miss. */
    byte[] get(byte[] key, long hash, long now) {
        lock.lock();
        try {
            Entry entry = liveEntry(key, hash, now);
            if (entry == null) {
                stats.misses.increment();
                policy.onMiss(hash);
                return null;
            }
            stats.hits.increment();
            policy.onAccess(entry, hash);
            return entry.data;
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #get}, counting nothing and changing nothing. */
    byte[] peek(byte[] key, long hash, long now) {
        lock.lock();
        try {
            Entry entry = table.find(key, hash);
            return entry == null || entry.isExpired(now) ? null : entry.data;
        } finally {
            lock.unlock();
        }
    }

    long ttlRemainingNanos(byte[] key, long hash, long now) {
        lock.lock();
        try {
            Entry entry = table.find(key, hash);
            if (entry == null || entry.isExpired(now)) {
                return -2;
            }
            return entry.hasDeadline() ? entry.deadline() - now : -1;
        } finally {
            lock.unlock();
        }
    }

    /** Stores {@code data} (built by {@link Entry#newData} from this key), of that weight, under the key. */
    void put(byte[] key, long hash, byte[] data, long entryWeight, long deadline, long now) {
        lock.lock();
        try {
            Entry existing = liveEntry(key, hash, now);
            if (existing != null && makeRoom(0, entryWeight - existing.weight(), existing, now)) {
                replace(existing, data, deadline, hash);
            } else {
                if (existing != null) {
                    remove(existing);   // the policy would evict it first anyway: the new value starts afresh
                }
                makeRoom(1, entryWeight, null, now);
                insert(Entry.create(data, key.length, hash, deadline), hash);
            }
            publish();
        } finally {
            lock.unlock();
        }
    }

    boolean delete(byte[] key, long hash, long now) {
        lock.lock();
        try {
            Entry entry = liveEntry(key, hash, now);
            if (entry == null) {
                return false;
            }
            remove(entry);
            stats.deletes.increment();
            publish();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything; returns how many live entries went (expired ones count as expirations). */
    long clear(long now) {
        lock.lock();
        try {
            List<Entry> entries = table.entries();
            long live = entries.stream().filter(entry -> !entry.isExpired(now)).count();
            stats.expirations.add(entries.size() - live);
            table.clear();
            expiry.clear();
            policy.clear();
            weight = 0;
            publish();
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** Adds live keys containing the substring to {@code into} while it is below the limit; returns the matches. */
    long collectKeys(String substring, int limit, long now, List<String> into) {
        lock.lock();
        try {
            long matches = 0;
            for (Entry entry : table.entries()) {
                if (!entry.isExpired(now)) {
                    String key = entry.key();
                    if (key.contains(substring)) {
                        matches++;
                        if (into.size() < limit) {
                            into.add(key);
                        }
                    }
                }
            }
            return matches;
        } finally {
            lock.unlock();
        }
    }

    /** Removes every entry whose deadline has passed, soonest first, touching only those. */
    int expireDue(long now) {
        lock.lock();
        try {
            int expired = 0;
            for (Entry due = expiry.peek(); due != null && due.isExpired(now); due = expiry.peek()) {
                expire(due);
                expired++;
            }
            if (expired > 0) {
                publish();
            }
            return expired;
        } finally {
            lock.unlock();
        }
    }

    void checkInvariants() {
        lock.lock();
        try {
            table.checkInvariants();
            List<Entry> entries = table.entries();
            long summedWeight = 0;
            int withDeadline = 0;
            for (Entry entry : entries) {
                String key = entry.key();
                byte[] value = Arrays.copyOfRange(entry.data, entry.valueOffset(), entry.data.length);
                Invariants.check(entry.weight() == CacheEngine.weigh(key, value, entry.hasDeadline() ? 1 : 0),
                        "weight of " + entry);
                byte[] reencoded = Keys.encode(key);
                Invariants.check(Arrays.equals(reencoded, 0, reencoded.length, entry.data, entry.keyOffset(),
                                               entry.valueOffset()), "key bytes of " + entry + " round-trip");
                Invariants.check(entry.hasDeadline() == entry instanceof ExpiringEntry, "class of " + entry);
                Invariants.check(entry.hasDeadline() == expiry.contains(entry), "expiry heap membership of " + entry);
                summedWeight += entry.weight();
                withDeadline += entry.hasDeadline() ? 1 : 0;
            }
            Invariants.check(summedWeight == weight, "segment weight " + weight + " but entries sum to " + summedWeight);
            Invariants.check(!limits.exceededBy(table.size(), weight), "segment over its limits: " + table.size()
                    + " entries, " + weight + " bytes, limits " + limits);
            Invariants.check(publishedCount == table.size() && publishedWeight == weight, "published occupancy");
            Invariants.check(expiry.checkedEntries().size() == withDeadline, "expiry heap size");
            policy.checkInvariants(entries);
        } finally {
            lock.unlock();
        }
    }

    /** The entry for the key if it is live; an expired one is removed on the way and counted. */
    private Entry liveEntry(byte[] key, long hash, long now) {
        Entry entry = table.find(key, hash);
        if (entry != null && entry.isExpired(now)) {
            expire(entry);
            publish();
            return null;
        }
        return entry;
    }

    private void insert(Entry entry, long hash) {
        table.add(entry, hash);
        weight += entry.weight();
        if (entry.hasDeadline()) {
            expiry.add(entry);
        }
        policy.onInsert(entry, hash);
    }

    /**
     * Gives the live entry new data and deadline, keeping its place in the policy. The entry object is updated in
     * place unless the rewrite adds or drops a TTL: then a new entry of the other class takes its place in the
     * table and the policy.
     */
    private void replace(Entry existing, byte[] data, long deadline, long hash) {
        long oldWeight = existing.weight();
        if (existing.hasDeadline()) {
            expiry.remove(existing);
        }
        Entry entry = existing;
        if (existing.hasDeadline() == (deadline != Entry.NO_DEADLINE)) {
            existing.data = data;
            if (existing instanceof ExpiringEntry expiring) {
                expiring.deadline = deadline;
            }
        } else {
            entry = Entry.create(data, existing.keyBytes(), hash, deadline);
            table.swap(existing, entry);
            policy.onSwap(existing, entry);
        }
        weight += entry.weight() - oldWeight;
        if (entry.hasDeadline()) {
            expiry.add(entry);
        }
        policy.onUpdate(entry, oldWeight, hash);
    }

    /**
     * Evicts per policy until {@code extraItems} more entries and {@code extraWeight} more bytes fit. Stops and
     * returns false, evicting nothing more, if the policy names {@code spared} (the entry being rewritten).
     */
    private boolean makeRoom(int extraItems, long extraWeight, Entry spared, long now) {
        while (limits.exceededBy(table.size() + extraItems, weight + extraWeight)) {
            Entry victim = policy.victim();
            Invariants.check(victim != null, "policy named no victim in a segment over its limits");
            if (victim == spared) {
                return false;
            }
            if (victim.isExpired(now)) {
                expire(victim);
            } else {
                remove(victim);
                stats.evictions.increment();
            }
        }
        return true;
    }

    private void expire(Entry entry) {
        remove(entry);
        stats.expirations.increment();
    }

    private void remove(Entry entry) {
        table.remove(entry);
        weight -= entry.weight();
        if (entry.hasDeadline()) {
            expiry.remove(entry);
        }
        policy.onRemove(entry);
    }

    private void publish() {
        publishedCount = table.size();
        publishedWeight = weight;
    }
}
