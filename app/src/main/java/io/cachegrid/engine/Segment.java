package io.cachegrid.engine;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock stripe of the cache: a map, its eviction policy and its expiry heap, all guarded by one lock,
 * enforcing its share of both limits exactly.
 *
 * <p>A write makes room first and stores second, so the limits hold at every step, even inside the lock, and
 * the entry being written is never its own victim (if a policy would rather evict the entry being rewritten,
 * it is dropped and stored afresh). Occupancy is published through two volatile fields at the end of each
 * change, so {@link #size()} and {@link #weight()} read it without the lock, never torn.
 */
final class Segment {
    private static final Comparator<Entry> BY_DEADLINE = Comparator.comparingLong(entry -> entry.deadline);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> map = new HashMap<>();
    /** Only the entries that have a deadline, soonest first: expiry work is O(expired · log n). */
    private final EntryHeap expiry = new EntryHeap(BY_DEADLINE, EntryHeap.EXPIRY_SLOT);
    private final ReplacementPolicy policy;
    private final SegmentLimits limits;
    private final StatsCounter stats;
    private long weight;
    private long writeSequence;
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

    byte[] get(String key, long now) {
        lock.lock();
        try {
            Entry entry = liveEntry(key, now);
            if (entry == null) {
                stats.misses.increment();
                policy.onMiss(key);
                return null;
            }
            stats.hits.increment();
            policy.onAccess(entry);
            return entry.value;
        } finally {
            lock.unlock();
        }
    }

    byte[] peek(String key, long now) {
        lock.lock();
        try {
            Entry entry = map.get(key);
            return entry == null || entry.isExpired(now) ? null : entry.value;
        } finally {
            lock.unlock();
        }
    }

    long ttlRemainingNanos(String key, long now) {
        lock.lock();
        try {
            Entry entry = map.get(key);
            if (entry == null || entry.isExpired(now)) {
                return -2;
            }
            return entry.hasDeadline() ? entry.deadline - now : -1;
        } finally {
            lock.unlock();
        }
    }

    void put(String key, byte[] value, long entryWeight, long deadline, long now) {
        lock.lock();
        try {
            Entry existing = liveEntry(key, now);
            if (existing != null && makeRoom(0, entryWeight - existing.weight, existing, now)) {
                replace(existing, value, entryWeight, deadline);
            } else {
                if (existing != null) {
                    remove(existing);   // the policy would evict it first anyway: the new value starts afresh
                }
                makeRoom(1, entryWeight, null, now);
                insert(new Entry(key, value, entryWeight, deadline, ++writeSequence));
            }
            publish();
        } finally {
            lock.unlock();
        }
    }

    boolean delete(String key, long now) {
        lock.lock();
        try {
            Entry entry = liveEntry(key, now);
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
            long live = map.values().stream().filter(entry -> !entry.isExpired(now)).count();
            stats.expirations.add(map.size() - live);
            map.clear();
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
            for (Entry entry : map.values()) {
                if (!entry.isExpired(now) && entry.key.contains(substring)) {
                    matches++;
                    if (into.size() < limit) {
                        into.add(entry.key);
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
            long summedWeight = 0;
            int withDeadline = 0;
            for (Map.Entry<String, Entry> mapping : map.entrySet()) {
                Entry entry = mapping.getValue();
                Invariants.check(mapping.getKey().equals(entry.key), "map key " + mapping.getKey() + " holds " + entry);
                Invariants.check(entry.weight == CacheEngine.weigh(entry.key, entry.value), "weight of " + entry);
                Invariants.check(entry.hasDeadline() == expiry.contains(entry), "expiry heap membership of " + entry);
                summedWeight += entry.weight;
                withDeadline += entry.hasDeadline() ? 1 : 0;
            }
            Invariants.check(summedWeight == weight, "segment weight " + weight + " but entries sum to " + summedWeight);
            Invariants.check(!limits.exceededBy(map.size(), weight), "segment over its limits: " + map.size()
                    + " entries, " + weight + " bytes, limits " + limits);
            Invariants.check(publishedCount == map.size() && publishedWeight == weight, "published occupancy");
            Invariants.check(expiry.checkedEntries().size() == withDeadline, "expiry heap size");
            policy.checkInvariants(map.values());
        } finally {
            lock.unlock();
        }
    }

    /** The entry for the key if it is live; an expired one is removed on the way and counted. */
    private Entry liveEntry(String key, long now) {
        Entry entry = map.get(key);
        if (entry != null && entry.isExpired(now)) {
            expire(entry);
            publish();
            return null;
        }
        return entry;
    }

    private void insert(Entry entry) {
        map.put(entry.key, entry);
        weight += entry.weight;
        if (entry.hasDeadline()) {
            expiry.add(entry);
        }
        policy.onInsert(entry);
    }

    private void replace(Entry entry, byte[] value, long entryWeight, long deadline) {
        long oldWeight = entry.weight;
        if (entry.hasDeadline()) {
            expiry.remove(entry);
        }
        entry.value = value;
        entry.weight = entryWeight;
        entry.deadline = deadline;
        entry.writeOrder = ++writeSequence;
        weight += entryWeight - oldWeight;
        if (entry.hasDeadline()) {
            expiry.add(entry);
        }
        policy.onUpdate(entry, oldWeight);
    }

    /**
     * Evicts per policy until {@code extraItems} more entries and {@code extraWeight} more bytes fit. Stops and
     * returns false, evicting nothing more, if the policy names {@code spared} (the entry being rewritten).
     */
    private boolean makeRoom(int extraItems, long extraWeight, Entry spared, long now) {
        while (limits.exceededBy(map.size() + extraItems, weight + extraWeight)) {
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
        map.remove(entry.key);
        weight -= entry.weight;
        if (entry.hasDeadline()) {
            expiry.remove(entry);
        }
        policy.onRemove(entry);
    }

    private void publish() {
        publishedCount = map.size();
        publishedWeight = weight;
    }
}
