package io.cachegrid.engine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Why: in a cluster a key's copies travel between members out of order (replication, rebalancing pushes, read
 * repair). Once a key is deleted, an older copy still on its way must not bring it back. So a delete leaves a
 * tombstone: the key and the version of the delete, no value, kept for a grace period
 * ({@code CACHEGRID_TOMBSTONE_SECONDS}); a copy is stored only if it is newer than the tombstone
 * ({@link Condition#newer}), and any newer write removes it.
 *
 * <p>One per {@link Segment}, guarded by that segment's write lock, and only when the engine is clustered (a single
 * node has no copies to fear, so it keeps no tombstones and its memory is unchanged). Kept apart from the entry
 * table, so live entries, their layout (the measured {@link CacheEngine#ENTRY_OVERHEAD_BYTES}), the policies, the
 * key listings and the counts never see a tombstone: a tombstoned key is simply absent (a GET misses).
 *
 * <p>Expiry costs O(expired): every tombstone lives for the same grace period, so insertion order is deadline
 * order. A {@link LinkedHashMap} in insertion order, a renewed tombstone re-inserted at the tail, and a deadline
 * never earlier than the previous one (the callers' clock readings are taken outside the lock, so two can arrive
 * out of order by a hair: the later-inserted one is then clamped up) keep that exact; the sweep takes from the
 * head while due (a tombstone pushed by another member keeps only what was left of its grace period there, so it
 * may sit behind longer ones: it is dead from its own deadline on and swept after them). Tombstones are accounted
 * in the cache's memory ({@link #OVERHEAD_BYTES} plus the key bytes each) and never evicted: only their grace
 * period ends them.
 */
final class Tombstones {

    /**
     * Retained heap per tombstone beyond its key bytes, from the layout (compressed oops, 12-byte headers; estimated,
     * not measured like the entry's): the LinkedHashMap node, 40 B (header 12, hash 4, five references 20, padded);
     * the {@link Tombstone}, 40 B (header 12, key reference 4, hash 4, version 8, deadline 8, padded); the key
     * array's header, 16 B, and its padding, 3.5 B on average; the map's table slot, a 4-byte reference at
     * 37.5-75% load, 5.3-10.7 B. In all about 108 B.
     */
    static final int OVERHEAD_BYTES = 108;

    /** One deleted key: its bytes, the delete's version and when the tombstone may go. Equal by key bytes. */
    static final class Tombstone {
        final byte[] key;
        final int hash;
        long version;
        long deadline;

        Tombstone(byte[] key, long hash) {
            this.key = key;
            this.hash = (int) (hash ^ (hash >>> 32));
        }

        long weight() {
            return key.length + (long) OVERHEAD_BYTES;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tombstone that && that.hash == hash && Arrays.equals(that.key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final long graceNanos;
    private final LinkedHashMap<Tombstone, Tombstone> byKey = new LinkedHashMap<>();
    private long weight;
    private long lastDeadline = Long.MIN_VALUE;

    Tombstones(long graceNanos) {
        if (graceNanos <= 0) {
            throw new IllegalArgumentException("grace period must be > 0, was " + graceNanos);
        }
        this.graceNanos = graceNanos;
    }

    /** The version of the key's tombstone if it has one still in its grace period, else 0. */
    long version(byte[] key, long hash, long now) {
        Tombstone found = byKey.get(new Tombstone(key, hash));
        return found == null || now - found.deadline >= 0 ? 0 : found.version;
    }

    /** Nanoseconds left of the key's tombstone's grace period; 0 when it has none in its grace period. */
    long remaining(byte[] key, long hash, long now) {
        Tombstone found = byKey.get(new Tombstone(key, hash));
        return found == null || now - found.deadline >= 0 ? 0 : found.deadline - now;
    }

    /** Leaves (or renews) the key's tombstone at {@code version}, for the grace period from {@code now}. */
    void put(byte[] key, long hash, long version, long now) {
        put(key, hash, version, now, graceNanos);
    }

    /**
     * Leaves (or renews) the key's tombstone at {@code version} for at most {@code remainingNanos} (capped at the
     * grace period): a tombstone another member pushed keeps what was left of its grace there, so tombstones
     * passed back and forth between members never outlive the delete's own grace period. Such a shorter deadline
     * may sit behind longer ones in the insertion order: it is dead from its deadline on ({@link #version}, the
     * scan), and swept once the ones before it are (at most one grace period later).
     */
    void put(byte[] key, long hash, long version, long now, long remainingNanos) {
        Tombstone tombstone = byKey.remove(new Tombstone(key, hash));
        if (tombstone == null) {
            tombstone = new Tombstone(key, hash);
            weight += tombstone.weight();
        }
        tombstone.version = version;
        long deadline = now + Math.min(graceNanos, Math.max(0, remainingNanos));
        if (remainingNanos >= graceNanos) {
            tombstone.deadline = lastDeadline != Long.MIN_VALUE && deadline - lastDeadline < 0 ? lastDeadline
                    : deadline;
            lastDeadline = tombstone.deadline;
        } else {
            tombstone.deadline = deadline;
            if (lastDeadline == Long.MIN_VALUE || deadline - lastDeadline > 0) {
                lastDeadline = deadline;
            }
        }
        byKey.put(tombstone, tombstone);
    }

    /**
     * Adds to {@code into} the tombstones still in their grace period from the {@code from}-th (in insertion order)
     * on, until {@code into} holds {@code maxItems} or their keys {@code maxKeyBytes} (at least one is added);
     * returns the index to continue from, or -1 when none is left. Positions shift as the sweep drops the oldest:
     * a resumed walk may skip or repeat a few (callers repeat their walks anyway).
     */
    int collect(int from, int maxItems, long maxKeyBytes, long now, List<KeyVersion> into) {
        int index = 0;
        long bytes = 0;
        for (Tombstone tombstone : byKey.keySet()) {
            if (index++ < from) {
                continue;
            }
            if (now - tombstone.deadline < 0) {
                into.add(new KeyVersion(Keys.decode(tombstone.key, 0, tombstone.key.length), tombstone.version, true,
                                        tombstone.deadline - now));
                bytes += tombstone.key.length;
                if (into.size() >= maxItems || bytes >= maxKeyBytes) {
                    return index < byKey.size() ? index : -1;
                }
            }
        }
        return -1;
    }

    /** Drops the key's tombstone (a newer write replaced it); true if it had one. */
    boolean remove(byte[] key, long hash) {
        if (byKey.isEmpty()) {
            return false;
        }
        Tombstone removed = byKey.remove(new Tombstone(key, hash));
        if (removed != null) {
            weight -= removed.weight();
        }
        return removed != null;
    }

    /** Drops every tombstone older than {@code version} (a clear at that version covers those deletes). */
    void removeOlderThan(long version) {
        Iterator<Tombstone> all = byKey.keySet().iterator();
        while (all.hasNext()) {
            Tombstone tombstone = all.next();
            if (Long.compareUnsigned(tombstone.version, version) < 0) {
                all.remove();
                weight -= tombstone.weight();
            }
        }
    }

    /** Drops up to {@code max} tombstones whose grace period is over, oldest first; returns how many. */
    int expireDue(long now, int max) {
        int expired = 0;
        Iterator<Tombstone> oldestFirst = byKey.keySet().iterator();
        while (expired < max && oldestFirst.hasNext()) {
            Tombstone tombstone = oldestFirst.next();
            if (now - tombstone.deadline < 0) {
                break;
            }
            oldestFirst.remove();
            weight -= tombstone.weight();
            expired++;
        }
        return expired;
    }

    /** Adds the key and version of every tombstone still in its grace period to the lists (a snapshot). */
    void collectLive(long now, List<byte[]> keys, List<Long> versions) {
        for (Tombstone tombstone : byKey.keySet()) {
            if (now - tombstone.deadline < 0) {
                keys.add(tombstone.key);
                versions.add(tombstone.version);
            }
        }
    }

    int size() {
        return byKey.size();
    }

    /** Accounted bytes of all tombstones held. */
    long weight() {
        return weight;
    }

    /**
     * Checks the weights, the deadline order, each version against the clock, and that no key is both tombstoned
     * and live (a write that stores a key removes its tombstone).
     */
    void checkInvariants(long clockCurrent, Set<Tombstone> liveKeys) {
        long summed = 0;
        for (Tombstone tombstone : byKey.keySet()) {
            Invariants.check(byKey.get(tombstone) == tombstone, "tombstone map consistent for " + tombstone);
            Invariants.check(tombstone.version != 0 && Long.compareUnsigned(tombstone.version, clockCurrent) <= 0,
                             "tombstone version " + tombstone.version + " not after the clock " + clockCurrent);
            Invariants.check(lastDeadline == Long.MIN_VALUE || tombstone.deadline - lastDeadline <= 0,
                             "no tombstone deadline after the last full grace period given");
            Invariants.check(!liveKeys.contains(tombstone), "a key both live and tombstoned");
            summed += tombstone.weight();
        }
        Invariants.check(summed == weight, "tombstone weight " + weight + " but they sum to " + summed);
    }
}
