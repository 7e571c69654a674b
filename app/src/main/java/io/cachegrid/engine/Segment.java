package io.cachegrid.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

/**
 * One lock stripe of the cache: a table of entries, its eviction policy and its expiry heap. The limits are the
 * whole cache's ({@link Occupancy}); a segment has none of its own and evicts only as a write asks.
 *
 * <p>A write ({@link #put}) stores at once if the cache has room. If not, it stores nothing, and the engine
 * repeats it under the {@link Evictor}'s lock asking it to make room: it evicts this segment's victims first and
 * stores second, so the entry being written is never its own victim (if a policy would rather evict the entry
 * being rewritten, it is dropped and stored afresh); if this segment runs out of victims, the engine evicts from
 * the others after this segment's locks are released. Occupancy is published through two volatile fields at the
 * end of each change, so {@link #size()} and {@link #weight()} read it without the lock, never torn, and the
 * change is added to the cache's {@link Occupancy} at the same moment, under the lock.
 *
 * <p>Keys arrive as {@code (key, hash)}: the String, its bytes unless it is ASCII, and its hash
 * ({@link Keys}), computed by the caller outside the lock. A read hands back the entry's data array, which is
 * never written after it is stored, so the caller copies the value out after the lock is released.
 *
 * <p><b>Two locks.</b> A {@link StampedLock} guards the table (and the entries' data and deadlines, and the
 * expiry heap): every change holds its write mode. A {@link ReentrantLock}, the policy lock, guards the policy's
 * state and the draining of the access buffer. A change takes the policy lock first, then the write lock, and
 * holds both ({@link #lockForWrite}); so whoever holds the policy lock alone also sees a table nobody changes.
 *
 * <p><b>Reads take no exclusive lock.</b> A {@link #get} is an optimistic read: it takes a stamp, looks the key up
 * with {@link EntryTable#findOptimistic} (bounds-safe against any concurrent change), reads the entry's data array
 * and deadline, and trusts what it read only if the stamp still validates, i.e. no writer ran meanwhile;
 * otherwise it repeats the lookup under the shared read lock. Only a hit on an expired entry takes the locks, to
 * remove it. Hits and misses are counted in LongAdders at once, so the stats stay exact. peek, the ttl query and
 * the key listing use the read lock.
 *
 * <p>The policy's reaction to a read ({@link ReplacementPolicy#onAccess}: lru's move to the tail, lfu's frequency,
 * tinylfu's sketch and region moves; {@link ReplacementPolicy#onMiss} for tinylfu) changes state that one thread
 * at a time may change, so a read records the access in this segment's {@link AccessBuffer} and the policy sees
 * it later, in recording order, when the buffer is drained under the policy lock: <em>before every change</em>
 * (so before every eviction decision, and before the invariant check), and by the reader whose access finds its
 * ring full, if the policy lock is free at once (a reader never waits; see {@link #record}). Replay skips entries
 * that have left the table meanwhile (an identity check, {@link EntryTable#contains}), since their policy links
 * are gone. ttl and size ignore reads, so their reads record nothing.
 *
 * <p><b>Versions, conditions, tags.</b> Every write takes its entry's version from the engine's {@link VersionClock}
 * while it holds the write lock, so the versions of a key grow in the order its writes happen and a write that
 * comes after another (in this segment or any other) has the larger version. A conditional write
 * ({@link #put} with a {@link Condition}, {@link #deleteIf}) and an {@link #increment} read the live entry and
 * write in the same hold of the locks. The {@link TagIndex} changes with the table, under the same locks, in
 * {@code insert}, {@code replace} and {@code remove}, through which every way in or out goes (put, delete,
 * eviction, expiry, invalidation); {@link #invalidateTag} removes a tag's entries in one hold, so a racing write
 * to this segment is either before it (and removed) or after it.
 *
 * <p><b>What "exact" means now.</b> Each policy still applies its rule exactly to the accesses it has been shown,
 * and it is shown every access, in each thread's order, before it names a victim. Three approximations remain,
 * all bounded and all arising only when threads overlap (as in Caffeine, whose read buffers are lossy the same
 * way): (1) a read that finds its thread's ring full while a writer holds the lock or another drain runs is
 * dropped (counted in {@link #droppedAccesses()}); a ring fills only after {@link AccessBuffer#CAPACITY} reads of
 * one thread that no drain took, so this needs readers that outrun the drains; (2) the reads of different
 * threads recorded since the last drain are replayed ring by ring ({@link AccessBuffer}), not in the order they
 * happened between those threads (at most {@code STRIPES * CAPACITY} per segment); (3) reads concurrent with a
 * write may be replayed just after it rather than just before (their order relative to that write was a race
 * anyway), and one whose slot is claimed but not yet published waits for the next drain. Single-threaded,
 * nothing is ever dropped (the full-ring drain cannot fail to start), one ring keeps the order, and the policy
 * sees exactly the sequence of calls the locked engine made, so every policy's hand-checked order holds.
 */
final class Segment {
    private static final EntryHeap.Order BY_DEADLINE =
            (a, ignoredA, b, ignoredB) -> Long.compare(a.deadline(), b.deadline());

    /** Guards the table (write mode for every change; readers validate against it). */
    private final StampedLock lock = new StampedLock();
    /** Guards the policy's state and the draining of {@link #accesses}; a change to the table holds both. */
    private final ReentrantLock policyLock = new ReentrantLock();
    private final EntryTable table = new EntryTable();
    /** Only the entries that have a deadline, soonest first: expiry work is O(expired · log n). */
    private final EntryHeap expiry = new EntryHeap(BY_DEADLINE, EntryHeap.EXPIRY_SLOT, false);
    private final ReplacementPolicy policy;
    /** Whether entries carry a full int of policy state ({@link ReplacementPolicy#indexesEntries}). */
    private final boolean indexed;
    private final Occupancy occupancy;
    private final StatsCounter stats;
    /** Reads the policy has not seen yet; null for policies that ignore reads (ttl, size). */
    private final AccessBuffer accesses;
    /** Whether misses are recorded too (tinylfu's sketch counts them). */
    private final boolean recordsMisses;
    private final AccessBuffer.Replay replay = this::replay;
    private final LongAdder droppedAccesses = new LongAdder();
    /** Tag to the entries of this segment carrying it; guarded like the table. */
    private final TagIndex tagIndex = new TagIndex();
    /** Gives every write its version, taken under the write lock so that a key's versions follow its writes. */
    private final VersionClock clock;
    /** Deleted keys and their delete's version, for a grace period; null when the engine keeps none (one node). */
    private final Tombstones tombstones;
    /** What compression saves, counted as entries come and go; null when the engine does not compress. */
    private final CompressionTally compression;
    /** The engine's last versioned clear: copies at or below it are refused ({@link ClearEpoch}). */
    private final ClearEpoch clearEpoch;
    /** The summed weight of the entries; the segment holds this plus {@link TagIndex#weight()} ({@link #held}). */
    private long weight;
    private volatile int publishedCount;
    private volatile long publishedWeight;
    /** Told of every applied change under the locks ({@link ChangeListener}); null (the default) costs a check. */
    volatile ChangeListener changes;

    /** {@code share} sizes the policy's structures (tinylfu's regions); the limits are {@code occupancy}'s. */
    Segment(EvictionPolicy policy, SegmentLimits share, Occupancy occupancy, StatsCounter stats,
            VersionClock clock) {
        this(policy, share, occupancy, stats, clock, 0);
    }

    /** As above, leaving tombstones for {@code tombstoneNanos} when that is > 0 ({@link Tombstones}). */
    Segment(EvictionPolicy policy, SegmentLimits share, Occupancy occupancy, StatsCounter stats,
            VersionClock clock, long tombstoneNanos) {
        this(policy, share, occupancy, stats, clock, tombstoneNanos, null, new ClearEpoch());
    }

    /**
     * As above, counting compressed and incompressible values in {@code compression} (null: none) and refusing
     * copies older than the engine's versioned clears ({@link ClearEpoch}, shared by all segments).
     */
    Segment(EvictionPolicy policy, SegmentLimits share, Occupancy occupancy, StatsCounter stats,
            VersionClock clock, long tombstoneNanos, CompressionTally compression, ClearEpoch clearEpoch) {
        this.compression = compression;
        this.clearEpoch = clearEpoch;
        this.policy = ReplacementPolicy.create(policy, share);
        this.indexed = this.policy.indexesEntries();
        this.clock = clock;
        this.tombstones = tombstoneNanos > 0 ? new Tombstones(tombstoneNanos) : null;
        this.occupancy = occupancy;
        this.stats = stats;
        boolean recordsHits = policy == EvictionPolicy.LRU || policy == EvictionPolicy.LFU
                || policy == EvictionPolicy.TINYLFU;
        this.recordsMisses = policy == EvictionPolicy.TINYLFU;
        this.accesses = recordsHits || recordsMisses ? new AccessBuffer() : null;
    }

    int size() {
        return publishedCount;
    }

    long weight() {
        return publishedWeight;
    }

    /** Reads the policy never saw (ring full while a drain or a write ran); 0 unless threads contended. */
    long droppedAccesses() {
        return droppedAccesses.sum();
    }

    /**
     * The live entry's value, version and deadline, or null; counts a hit or a miss. The clock is read only for an
     * entry with a deadline (a {@code System.nanoTime} call was about a tenth of a read without one).
     */
    ValueView get(byte[] key, long hash, Ticker clock) {
        Entry entry;
        byte[] data = null;
        long deadline = 0;
        long version = 0;
        long stamp = key.length < Entry.LONG_KEY ? lock.tryOptimisticRead() : 0L;
        if (stamp != 0L) {
            entry = table.findOptimistic(key, hash);
            if (entry != null && entry != EntryTable.INCONCLUSIVE) {
                data = entry.data;
                deadline = entry.deadline();
                version = entry.version;
            }
            if (!lock.validate(stamp) || entry == EntryTable.INCONCLUSIVE) {
                entry = EntryTable.INCONCLUSIVE;
            }
        } else {
            entry = EntryTable.INCONCLUSIVE;
        }
        if (entry == EntryTable.INCONCLUSIVE) {                 // a writer ran meanwhile: look again, shared
            stamp = lock.readLock();
            try {
                entry = table.find(key, hash);
                if (entry != null) {
                    data = entry.data;
                    deadline = entry.deadline();
                    version = entry.version;
                }
            } finally {
                lock.unlockRead(stamp);
            }
        }
        if (entry == null) {
            stats.misses.increment();
            if (recordsMisses) {
                record(AccessBuffer.MISS, hash);
            }
            return null;
        }
        if (deadline != Entry.NO_DEADLINE) {
            long now = clock.nanos();
            if (now >= deadline) {
                return getExpiring(key, hash, now);
            }
        }
        stats.hits.increment();
        if (accesses != null) {
            record(entry, hash);
        }
        return view(data, entry.keyLength, key.length, version, deadline);
    }

    /**
     * The value part of a data array read from an entry with that {@link Entry#keyLength} char: the stored bytes
     * themselves; a compressed value is decompressed by the view when its bytes are first asked for, with no lock
     * held (a data array never changes once stored).
     */
    private static ValueView view(byte[] data, char keyLengthChar, int keyLength, long version, long deadline) {
        boolean tagged = (keyLengthChar & Entry.TAGGED) != 0;
        int offset = Entry.valueOffset(data, keyLength, tagged);
        return (keyLengthChar & Entry.COMPRESSED) == 0 ? new ValueView(data, offset, version, deadline)
                                                       : new CompressedValueView(data, offset, version, deadline);
    }

    private static ValueView view(Entry entry) {
        return view(entry.data, entry.keyLength, entry.keyBytes(), entry.version, entry.deadline());
    }

    /** {@link #get} under both locks, for a read that found its entry expired (and so must remove it). */
    private ValueView getExpiring(byte[] key, long hash, long now) {
        long stamp = lockForWrite();
        try {
            Entry entry = liveEntry(key, hash, now);
            if (entry == null) {
                stats.misses.increment();
                policy.onMiss(hash);
                return null;
            }
            stats.hits.increment();
            policy.onAccess(entry, hash);
            return view(entry);
        } finally {
            unlockForWrite(stamp);
        }
    }

    /**
     * Hands a read to the policy through the buffer. If the thread's ring is full, drains the buffer and applies
     * this access directly, provided the policy lock is free at once (no drain or write under way; a writer drains
     * anyway); drops the access otherwise. Called with no lock held.
     *
     * <p>Such a drain holds only the policy lock, not the table's: it changes policy state alone (entry links and
     * state, the policy's own structures), which no reader looks at, so it neither invalidates the optimistic
     * reads of other threads nor makes them wait (an earlier version took the write lock here, and its lru reads
     * did not scale from 1 to 2 threads).
     */
    private void record(Entry entry, long hash) {
        if (accesses.offer(entry, hash)) {
            return;
        }
        if (!policyLock.tryLock()) {
            droppedAccesses.increment();
            return;
        }
        try {
            accesses.drain(replay);
            replay(entry, hash);
        } finally {
            policyLock.unlock();
        }
    }

    /**
     * Takes the policy lock, shows the policy every recorded read (readers keep going meanwhile), then takes the
     * table's write lock: what every change does first. {@link #unlockForWrite} releases both.
     */
    private long lockForWrite() {
        policyLock.lock();
        try {
            if (accesses != null) {
                accesses.drain(replay);
            }
            return lock.writeLock();
        } catch (RuntimeException | Error e) {
            policyLock.unlock();
            throw e;
        }
    }

    private void unlockForWrite(long stamp) {
        lock.unlockWrite(stamp);
        policyLock.unlock();
    }

    /**
     * One recorded read, replayed under the policy lock (so no writer changes the table meanwhile); an entry that
     * has left the table since it was read is skipped.
     */
    private void replay(Entry entry, long hash) {
        if (entry == AccessBuffer.MISS) {
            policy.onMiss(hash);
        } else if (table.contains(entry, hash)) {
            policy.onAccess(entry, hash);
        }
    }

    /** Like {@link #get}, counting nothing and changing nothing. */
    ValueView peek(byte[] key, long hash, long now) {
        long stamp = lock.readLock();
        try {
            Entry entry = table.find(key, hash);
            return entry == null || entry.isExpired(now) ? null : view(entry);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * The live entry's value as stored (compressed or not) and its version, counting nothing; null when absent
     * or expired. What the persistence log writes, so a compressed value is logged as it is.
     */
    StoredForm peekStoredForm(byte[] key, long hash, long now) {
        long stamp = lock.readLock();
        try {
            Entry entry = table.find(key, hash);
            if (entry == null || entry.isExpired(now)) {
                return null;
            }
            int offset = entry.valueOffset();
            return new StoredForm(entry.data, offset, entry.data.length - offset, entry.compressed(), entry.version);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    long ttlRemainingNanos(byte[] key, long hash, long now) {
        long stamp = lock.readLock();
        try {
            Entry entry = table.find(key, hash);
            if (entry == null || entry.isExpired(now)) {
                return -2;
            }
            return entry.hasDeadline() ? entry.deadline() - now : -1;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Stores {@code write.data} (built by {@link Entry#newData} from this key) under the key if
     * {@code write.condition} holds for its live entry, deciding and writing in one hold of the locks, and
     * reports in {@code write} whether it applied, the version and the entry written. If the cache has no room for
     * it, then without {@code makeRoom} it stores nothing and returns false (the caller asks again with
     * {@code makeRoom}); with {@code makeRoom} (the caller holds the {@link Evictor}'s lock) it first evicts this
     * segment's victims while the cache would exceed a limit, and stores even if this segment runs out of them
     * (the caller then evicts from the others). Returns true when the write is decided (applied or refused).
     */
    boolean put(byte[] key, long hash, Write write, long now, boolean makeRoom) {
        long stamp = lockForWrite();
        try {
            Entry existing = liveEntry(key, hash, now);
            if (!write.condition.holds(existing != null, existing == null ? 0 : existing.version)) {
                write.refused(existing);
                return true;
            }
            if (write.condition instanceof Condition.Newer copy && clearEpoch.covers(copy.version())) {
                write.refusedByTombstone(clearEpoch.get()); // a copy written before a clear: it stays cleared
                return true;
            }
            if (existing == null && tombstones != null && write.condition instanceof Condition.Newer replica) {
                long deleted = tombstones.version(key, hash, now);
                if (deleted != 0 && Long.compareUnsigned(deleted, replica.version()) >= 0) {
                    write.refusedByTombstone(deleted); // an older copy of a deleted key: it stays deleted
                    return true;
                }
            }
            Entry written = store(key, hash, existing, write.data, write.tagged, write.compressed, write.weight,
                                  write.deadline, now, makeRoom);
            if (written == null) {
                return false;
            }
            if (write.condition instanceof Condition.Newer replica) {
                written.version = replica.version(); // the primary's version, still under the lock
                clock.observe(replica.version());
            }
            write.applied(written);
            ChangeListener listener = changes;
            if (listener != null) {
                stored(listener, written, key.length, now);
            }
            return true;
        } finally {
            unlockForWrite(stamp);
        }
    }

    /**
     * Adds {@code increment.delta} to the key's integer value (0 when absent, then created with
     * {@code increment.deadlineIfCreated}), keeping its tags and deadline; decides and writes in one hold of the
     * locks and reports in {@code increment}. Returns false, changing nothing, when the cache has no room and
     * {@code makeRoom} is false, as {@link #put} does.
     */
    boolean increment(byte[] key, long hash, Increment increment, long now, boolean makeRoom) {
        long stamp = lockForWrite();
        try {
            Entry existing = liveEntry(key, hash, now);
            long value = 0;
            if (existing != null) {
                byte[] data = existing.data;
                int from = existing.valueOffset();
                if (existing.compressed()) {    // not for a number's few bytes, but a threshold of 1 allows it
                    data = ValueCompression.expand(data, from);
                }
                if (!Integers.isInteger(data, from, data.length)) {
                    increment.result = IncrResult.NOT_AN_INTEGER;
                    return true;
                }
                value = Integers.parse(data, from, data.length);
            }
            long sum;
            try {
                sum = Math.addExact(value, increment.delta);
            } catch (ArithmeticException overflow) {
                increment.result = IncrResult.OVERFLOW;
                return true;
            }
            byte[] text = Long.toString(sum).getBytes(StandardCharsets.US_ASCII);
            byte[] data = existing == null ? Entry.newData(key, text) : existing.withValue(text);
            boolean tagged = existing != null && existing.tagged();
            long deadline = existing == null ? increment.deadlineIfCreated : existing.deadline();
            long entryWeight = Entry.weigh(data, key.length, tagged, deadline != Entry.NO_DEADLINE);
            if (entryWeight > increment.maxEntryWeight) {
                throw new EntryTooLargeException(entryWeight, increment.maxEntryWeight);
            }
            Entry written = store(key, hash, existing, data, tagged, false, entryWeight, deadline, now, makeRoom);
            if (written == null) {
                return false;
            }
            increment.written = written;
            increment.result = new IncrResult.Incremented(sum, written.version);
            ChangeListener listener = changes;
            if (listener != null) {
                stored(listener, written, key.length, now);
            }
            return true;
        } finally {
            unlockForWrite(stamp);
        }
    }

    /**
     * The write part of {@link #put} and {@link #increment}, under both locks: replaces {@code existing} (the
     * key's live entry, or null) or inserts, with a new version; null when there is no room and not
     * {@code makeRoom}.
     */
    private Entry store(byte[] key, long hash, Entry existing, byte[] data, boolean tagged, boolean compressed,
                        long entryWeight, long deadline, long now, boolean makeRoom) {
        if (!makeRoom && !makeRoomForOwnGrowth(existing == null ? 1 : 0,
                                               entryWeight - (existing == null ? 0 : existing.weight()), existing,
                                               now)) {
            publish();     // the victims it did evict
            return null;
        }
        Entry written;
        if (existing != null && (!makeRoom || makeRoom(0, entryWeight - existing.weight(), existing, now))) {
            written = replace(existing, data, tagged, compressed, deadline, hash);
        } else {
            if (existing != null) {
                remove(existing, hash); // the policy would evict it first anyway: the new value starts afresh
            }
            if (makeRoom) {
                makeRoom(1, entryWeight, null, now);
            }
            written = Entry.create(indexed, data, key.length, tagged, compressed, hash, deadline);
            written.version = clock.next();
            insert(written, hash);
            if (tombstones != null) {
                tombstones.remove(key, hash); // this write is newer than the delete (the clock observed it)
            }
        }
        publish();
        return written;
    }

    /** Removes the key's live entry if {@code condition} holds for it (never for ABSENT); decided under the locks. */
    WriteResult deleteIf(byte[] key, long hash, Condition condition, long now) {
        long stamp = lockForWrite();
        try {
            Entry entry = liveEntry(key, hash, now);
            if (entry == null || !condition.holds(true, entry.version)) {
                return new WriteResult(false, entry == null ? 0 : entry.version);
            }
            remove(entry);
            stats.deletes.increment();
            long tombstone = 0;
            if (tombstones != null) {
                tombstone = clock.next();
                tombstones.put(key, hash, tombstone, now);
            }
            publish();
            ChangeListener listener = changes;
            if (listener != null) {
                listener.deleted(key, tombstone);
            }
            return new WriteResult(true, entry.version);
        } finally {
            unlockForWrite(stamp);
        }
    }

    /**
     * A delete at a given version (a member's copy of a delete on the key's primary): removes the live entry if it
     * is older than {@code version} and leaves (or renews) the key's tombstone at {@code version}, unless the key
     * holds that version or a newer one already, live or tombstoned. Without tombstones only the removal happens.
     *
     * @return applied and {@code version}; or refused and the newer version held (live or tombstone)
     */
    WriteResult deleteVersioned(byte[] key, long hash, long version, long now) {
        return deleteVersioned(key, hash, version, now, Long.MAX_VALUE);
    }

    /**
     * {@link #deleteVersioned(byte[], long, long, long)} whose tombstone lasts at most {@code remainingNanos} (what
     * was left of it on the member that pushed it). Refused as well when a clear at that version or a newer one
     * happened here (nothing older can be left to delete).
     */
    WriteResult deleteVersioned(byte[] key, long hash, long version, long now, long remainingNanos) {
        long stamp = lockForWrite();
        try {
            if (clearEpoch.covers(version)) {
                return new WriteResult(false, clearEpoch.get());
            }
            Entry entry = liveEntry(key, hash, now);
            if (entry != null && Long.compareUnsigned(entry.version, version) >= 0) {
                return new WriteResult(false, entry.version);
            }
            long deleted = tombstones == null ? 0 : tombstones.version(key, hash, now);
            if (deleted != 0 && Long.compareUnsigned(deleted, version) >= 0) {
                return new WriteResult(false, deleted);
            }
            if (entry != null) {
                remove(entry);
                stats.deletes.increment();
            }
            if (tombstones != null) {
                clock.observe(version);
                tombstones.put(key, hash, version, now, remainingNanos);
            }
            publish();
            ChangeListener listener = changes;
            if (listener != null && (entry != null || tombstones != null)) {
                listener.deleted(key, version);
            }
            return new WriteResult(true, version);
        } finally {
            unlockForWrite(stamp);
        }
    }

    /** The version of the key's tombstone, or 0 when it has none (or is live, or tombstones are off). */
    long tombstoneVersion(byte[] key, long hash, long now) {
        if (tombstones == null) {
            return 0;
        }
        long stamp = lockForWrite(); // the tombstone map is not safe for concurrent reads
        try {
            return tombstones.version(key, hash, now);
        } finally {
            unlockForWrite(stamp);
        }
    }

    /**
     * Drops the live entry if it still has exactly {@code version}, leaving no tombstone and counting no delete: a
     * copy this node handed over to the key's new owners (a newer write that arrived meanwhile is kept).
     */
    boolean discard(byte[] key, long hash, long version, long now) {
        long stamp = lockForWrite();
        try {
            Entry entry = liveEntry(key, hash, now);
            if (entry == null || entry.version != version) {
                return false;
            }
            remove(entry);
            publish();
            ChangeListener listener = changes;
            if (listener != null) {
                listener.deleted(key, 0);
            }
            return true;
        } finally {
            unlockForWrite(stamp);
        }
    }

    /** Reports a stored entry to the listener (under the locks). */
    private static void stored(ChangeListener listener, Entry written, int keyLength, long now) {
        listener.stored(written.data, written.keyOffset(), keyLength, written.valueOffset(), written.compressed(),
                        written.version, written.deadline(), now);
    }

    /**
     * Hands every live entry to {@code visitor} as {@link ChangeListener#stored} would, and every tombstone still in
     * its grace period as {@link ChangeListener#deleted} would (a snapshot): the entries' arrays, versions and
     * deadlines and the tombstones' keys and versions are taken in one hold of the read lock (writers wait that
     * long, readers not), and given to the visitor after it is released. Returns how many it handed over.
     */
    int forEachEntry(ChangeListener visitor, long now) {
        byte[][] data;
        int[] offsets;              // per entry: key offset, key length, value offset
        long[] versions;
        long[] deadlines;
        boolean[] compressed;
        int count = 0;
        List<byte[]> tombstoneKeys = new ArrayList<>();
        List<Long> tombstoneVersions = new ArrayList<>();
        long stamp = lock.readLock();
        try {
            if (tombstones != null) {
                tombstones.collectLive(now, tombstoneKeys, tombstoneVersions);
            }
            List<Entry> entries = table.entries();
            data = new byte[entries.size()][];
            offsets = new int[3 * entries.size()];
            versions = new long[entries.size()];
            deadlines = new long[entries.size()];
            compressed = new boolean[entries.size()];
            for (Entry entry : entries) {
                if (!entry.isExpired(now)) {
                    data[count] = entry.data;
                    offsets[3 * count] = entry.keyOffset();
                    offsets[3 * count + 1] = entry.keyBytes();
                    offsets[3 * count + 2] = entry.valueOffset();
                    versions[count] = entry.version;
                    deadlines[count] = entry.deadline();
                    compressed[count] = entry.compressed();
                    count++;
                }
            }
        } finally {
            lock.unlockRead(stamp);
        }
        for (int i = 0; i < count; i++) {
            visitor.stored(data[i], offsets[3 * i], offsets[3 * i + 1], offsets[3 * i + 2], compressed[i],
                           versions[i], deadlines[i], now);
        }
        for (int i = 0; i < tombstoneKeys.size(); i++) {
            visitor.deleted(tombstoneKeys.get(i), tombstoneVersions.get(i));
        }
        return count + tombstoneKeys.size();
    }

    /** Tombstones held (0 without them); for the invariant checks and tests. */
    int tombstoneCount() {
        long stamp = lock.readLock();
        try {
            return tombstones == null ? 0 : tombstones.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Removes every entry carrying the tag, in one hold of the locks: a write to this segment is either before
     * (and removed, if it carries the tag) or after. Returns how many live entries went (expired ones count as
     * expirations).
     */
    long invalidateTag(String tag, long now) {
        return invalidateTag(tag, 0, now);
    }

    /**
     * {@link #invalidateTag(String, long)} as of {@code version} (0: unversioned, every entry carrying the tag):
     * removes only entries older than it (a newer one was written after the invalidation, in version order) and,
     * when this segment keeps tombstones, leaves one at {@code version} for each key removed.
     */
    long invalidateTag(String tag, long version, long now) {
        long stamp = lockForWrite();
        try {
            long live = 0;
            if (version != 0) {
                clock.observe(version);
            }
            ChangeListener listener = changes;
            for (Entry entry : tagIndex.membersCopy(tag)) {
                if (entry.isExpired(now)) {
                    expire(entry);
                } else if (version == 0 || Long.compareUnsigned(entry.version, version) < 0) {
                    remove(entry);
                    boolean tombstoned = tombstones != null && version != 0;
                    if (tombstoned || listener != null) {
                        byte[] key = Arrays.copyOfRange(entry.data, entry.keyOffset(), entry.keyEnd());
                        if (tombstoned) {
                            tombstones.put(key, entry.hash(), version, now);
                        }
                        if (listener != null) {
                            listener.deleted(key, tombstoned ? version : 0);
                        }
                    }
                    live++;
                }
            }
            publish();
            return live;
        } finally {
            unlockForWrite(stamp);
        }
    }

    /**
     * Adds to {@code into} the live keys carrying the tag whose rank (counting over the segments, from
     * {@code skipped}) is in {@code [offset, offset + limit)}; returns how many live entries carry it here.
     */
    long collectTagged(String tag, long offset, int limit, long skipped, long now, List<String> into) {
        long stamp = lock.readLock();
        try {
            long matches = 0;
            for (Entry entry : tagIndex.members(tag)) {
                if (!entry.isExpired(now)) {
                    if (skipped + matches >= offset && into.size() < limit) {
                        into.add(entry.key());
                    }
                    matches++;
                }
            }
            return matches;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Evicts this segment's next victim, unless the policy names {@code spared} (the entry just written) or
     * holds nothing; returns whether it evicted. An expired victim counts as an expiration, not an eviction.
     */
    boolean evictOne(Entry spared, long now) {
        long stamp = lockForWrite();
        try {
            Entry victim = policy.victim();
            if (victim == null || victim == spared) {
                return false;
            }
            evict(victim, now);
            publish();
            return true;
        } finally {
            unlockForWrite(stamp);
        }
    }

    boolean delete(byte[] key, long hash, long now) {
        long stamp = lockForWrite();
        try {
            Entry entry = liveEntry(key, hash, now);
            long tombstone = 0;
            if (tombstones != null) {
                // even with nothing here: another member may hold a copy the delete must outrank
                tombstone = clock.next();
                tombstones.put(key, hash, tombstone, now);
            }
            if (entry != null) {
                remove(entry);
                stats.deletes.increment();
            }
            publish();
            ChangeListener listener = changes;
            if (listener != null && (entry != null || tombstone != 0)) {
                listener.deleted(key, tombstone);
            }
            return entry != null;
        } finally {
            unlockForWrite(stamp);
        }
    }

    /** Drops everything; returns how many live entries went (expired ones count as expirations). */
    long clear(long now) {
        long stamp = lockForWrite();
        try {
            List<Entry> entries = table.entries();
            long live = entries.stream().filter(entry -> !entry.isExpired(now)).count();
            stats.expirations.add(entries.size() - live);
            if (compression != null) {
                entries.forEach(compression::removed);
            }
            table.clear();
            expiry.clear();
            policy.clear();
            tagIndex.clear();
            weight = 0;
            publish();
            ChangeListener listener = changes;
            if (listener != null) {
                for (Entry entry : entries) {
                    listener.deleted(Arrays.copyOfRange(entry.data, entry.keyOffset(), entry.keyEnd()), 0);
                }
            }
            return live;
        } finally {
            unlockForWrite(stamp);
        }
    }

    /**
     * A clear as of {@code epoch} (already raised in {@link #clearEpoch}): removes the entries older than it, in one
     * hold of the locks, and keeps newer ones (written after the clear, in version order, on every member alike).
     * Tombstones older than it go too (the epoch refuses what they refused, and members that compare copies would
     * otherwise list them as differing until they expire). Returns how many live entries went.
     */
    long clear(long epoch, long now) {
        long stamp = lockForWrite();
        try {
            long live = 0;
            clock.observe(epoch);
            if (tombstones != null) {
                tombstones.removeOlderThan(epoch);
            }
            for (Entry entry : table.entries()) {
                if (entry.isExpired(now)) {
                    expire(entry);
                } else if (Long.compareUnsigned(entry.version, epoch) < 0) {
                    remove(entry);
                    live++;
                }
            }
            publish();
            return live;
        } finally {
            unlockForWrite(stamp);
        }
    }

    /** Where a scan of the tombstones starts: positions below are table slots, from here on tombstone indexes. */
    static final int TOMBSTONE_PHASE = 1 << 30;

    /**
     * One bounded step of {@link CacheEngine#scan}: adds to {@code into} the live entries from table slot
     * {@code position} on, then (positions from {@link #TOMBSTONE_PHASE}) the tombstones still in their grace
     * period, until {@code into} holds {@code maxItems} or {@code maxKeyBytes} of keys; at most about
     * {@code maxSlots} table slots are looked at, so a sparse table does not hold the read lock long. Returns the
     * position to continue from, or -1 when this segment is done. Under the read lock: writers wait for one step
     * only.
     *
     * <p>A step ends only at an empty slot (or the table's end): removing a key the walk has passed shifts later
     * members of its probe run back ({@link EntryTable#remove}), which would move a key not yet walked behind the
     * cursor; a probe run never spans an empty slot, so a caller that drops keys of the page it was given (as
     * rebalancing does) misses none. So a step that fills its page in the middle of a run gives that run back and
     * ends before it; only a run longer than a whole page makes a page larger than {@code maxItems}.
     */
    int scan(int position, int maxItems, long maxKeyBytes, int maxSlots, long now, List<KeyVersion> into) {
        long stamp = lock.readLock();
        try {
            long bytes = 0;
            if (position < TOMBSTONE_PHASE) {
                int capacity = table.capacity();
                int runFrom = into.size();        // items in the page before the current probe run
                int runSlot = position;           // its first slot
                for (int slot = position, looked = 0; slot < capacity; slot++, looked++) {
                    Entry entry = table.at(slot);
                    if (entry == null) {
                        runFrom = into.size();
                        runSlot = slot + 1;
                        if (looked >= maxSlots || into.size() >= maxItems || bytes >= maxKeyBytes) {
                            return slot + 1 < capacity ? slot + 1 : TOMBSTONE_PHASE;
                        }
                        continue;
                    }
                    if (entry.isExpired(now)) {
                        continue;
                    }
                    if ((into.size() >= maxItems || bytes >= maxKeyBytes) && runFrom > 0) {
                        into.subList(runFrom, into.size()).clear(); // give the run back: the next step starts it
                        return runSlot;
                    }
                    into.add(new KeyVersion(entry.key(), entry.version, false,
                                            entry.hasDeadline() ? entry.deadline() - now : -1));
                    bytes += entry.keyBytes();
                }
                if (into.size() >= maxItems || bytes >= maxKeyBytes) {
                    return TOMBSTONE_PHASE;
                }
                position = TOMBSTONE_PHASE;
            }
            if (tombstones == null) {
                return -1;
            }
            int next = tombstones.collect(position - TOMBSTONE_PHASE, maxItems, maxKeyBytes - bytes, now, into);
            return next < 0 ? -1 : TOMBSTONE_PHASE + next;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The key's live version or tombstone, read in one hold of the read lock; null when it has neither. */
    KeyVersion state(byte[] key, long hash, String name, long now) {
        long stamp = lock.readLock();
        try {
            Entry entry = table.find(key, hash);
            if (entry != null && !entry.isExpired(now)) {
                return new KeyVersion(name, entry.version, false, entry.hasDeadline() ? entry.deadline() - now : -1);
            }
            long deleted = tombstones == null ? 0 : tombstones.version(key, hash, now);
            return deleted == 0 ? null : new KeyVersion(name, deleted, true, tombstones.remaining(key, hash, now));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Adds live keys containing the substring to {@code into} while it is below the limit; returns the matches. */
    long collectKeys(String substring, int limit, long now, List<String> into) {
        long stamp = lock.readLock();
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
            lock.unlockRead(stamp);
        }
    }

    /**
     * Removes up to {@code maxEntries} entries whose deadline has passed, soonest first, touching only those, in
     * one hold of the locks; returns how many. Fewer than {@code maxEntries} means none is left due.
     */
    int expireDue(long now, int maxEntries) {
        long stamp = lockForWrite();
        try {
            int expired = 0;
            for (Entry due = expiry.peek(); expired < maxEntries && due != null && due.isExpired(now);
                 due = expiry.peek()) {
                expire(due);
                expired++;
            }
            if (tombstones != null && expired < maxEntries) {
                expired += tombstones.expireDue(now, maxEntries - expired); // no statistic: never user-visible
            }
            if (expired > 0) {
                publish();
            }
            return expired;
        } finally {
            unlockForWrite(stamp);
        }
    }

    void checkInvariants() {
        checkInvariants(null);
    }

    /**
     * The checks, also recounting the entries into {@code recount} (a fresh {@link CompressionTally}; null for
     * none) for the engine to compare with its running tally.
     */
    void checkInvariants(CompressionTally recount) {
        long stamp = lockForWrite();
        try {
            table.checkInvariants();
            List<Entry> entries = table.entries();
            long summedWeight = 0;
            int withDeadline = 0;
            for (Entry entry : entries) {
                String key = entry.key();
                byte[] value = Arrays.copyOfRange(entry.data, entry.valueOffset(), entry.data.length);
                List<String> tags = entry.tags();
                Invariants.check(entry.weight() == CacheEngine.weigh(key, value, entry.hasDeadline() ? 1 : 0, tags),
                        "weight of " + entry);
                byte[] reencoded = Keys.encode(key);
                Invariants.check(Arrays.equals(reencoded, 0, reencoded.length, entry.data, entry.keyOffset(),
                                               entry.keyEnd()), "key bytes of " + entry + " round-trip");
                byte[] block = Tags.encode(tags);
                Invariants.check(entry.tagged() == (block != null) && (block == null || Arrays.equals(block, 0,
                        block.length, entry.data, entry.keyEnd(), entry.valueOffset())),
                        "tag block of " + entry + " round-trips");
                Invariants.check(entry.version > 0 && entry.version <= clock.current(), "version of " + entry);
                Invariants.check(entry.hasDeadline() == entry instanceof ExpiringEntry, "class of " + entry);
                if (entry.compressed()) {
                    Invariants.check(compression != null, "compressed " + entry + " in an engine that does not"
                                     + " compress");
                    int stored = entry.storedValueBytes();
                    int original = ValueCompression.decompress(entry.data, entry.valueOffset(), stored).length;
                    Invariants.check(ValueCompression.worthKeeping(stored, original),
                                     "compressed " + entry + " saves less than the margin");
                }
                if (recount != null) {
                    recount.added(entry);
                }
                Invariants.check(entry.hasDeadline() == expiry.contains(entry), "expiry heap membership of " + entry);
                summedWeight += entry.weight();
                withDeadline += entry.hasDeadline() ? 1 : 0;
            }
            Invariants.check(summedWeight == weight, "segment weight " + weight + " but entries sum to " + summedWeight);
            if (tombstones != null) {
                Set<Tombstones.Tombstone> liveKeys = new HashSet<>();
                for (Entry entry : entries) {
                    liveKeys.add(new Tombstones.Tombstone(Arrays.copyOfRange(entry.data, entry.keyOffset(),
                                                                             entry.keyEnd()), entry.hash()));
                }
                tombstones.checkInvariants(clock.current(), liveKeys);
            }
            tagIndex.checkInvariants(entries);
            Invariants.check(publishedCount == table.size() && publishedWeight == held(), "published occupancy");
            Invariants.check(expiry.checkedEntries().size() == withDeadline, "expiry heap size");
            policy.checkInvariants(entries);
            if (accesses != null) {
                accesses.checkInvariants();
            }
        } finally {
            unlockForWrite(stamp);
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
        if (compression != null) {
            compression.added(entry);
        }
        if (entry.tagged()) {
            tagIndex.add(entry);
        }
        if (entry.hasDeadline()) {
            expiry.add(entry);
        }
        policy.onInsert(entry, hash);
    }

    /**
     * Gives the live entry new data, tags, deadline and version, keeping its place in the policy. The entry object
     * is updated in place unless the rewrite adds or drops a TTL or tags: then a new entry of the other class (or
     * flag) takes its place in the table and the policy. The new tags replace the old in the tag index.
     */
    private Entry replace(Entry existing, byte[] data, boolean tagged, boolean compressed, long deadline,
                          long hash) {
        long oldWeight = existing.weight();
        if (compression != null) {
            compression.removed(existing);
        }
        if (existing.hasDeadline()) {
            expiry.remove(existing);
        }
        if (existing.tagged()) {
            tagIndex.remove(existing);
        }
        Entry entry = existing;
        if (existing.hasDeadline() == (deadline != Entry.NO_DEADLINE) && existing.tagged() == tagged
                && existing.compressed() == compressed) {
            existing.data = data;
            if (existing instanceof ExpiringEntry expiring) {
                expiring.deadline = deadline;
            }
        } else {
            entry = Entry.create(indexed, data, existing.keyBytes(), tagged, compressed, hash, deadline);
            table.swap(existing, entry);
            policy.onSwap(existing, entry);
        }
        entry.version = clock.next();
        weight += entry.weight() - oldWeight;
        if (compression != null) {
            compression.added(entry);
        }
        if (entry.hasDeadline()) {
            expiry.add(entry);
        }
        if (entry.tagged()) {
            tagIndex.add(entry);
        }
        policy.onUpdate(entry, oldWeight, hash);
        return entry;
    }

    /**
     * Evicts this segment's victims until the cache has room for {@code extraItems} more entries and
     * {@code extraWeight} more bytes, or this segment has nothing left to evict. Stops and returns false,
     * evicting nothing more, if the policy names {@code spared} (the entry being rewritten).
     */
    private boolean makeRoom(int extraItems, long extraWeight, Entry spared, long now) {
        while (overLimitsWith(extraItems, extraWeight)) {
            Entry victim = policy.victim();
            if (victim == null) {
                return true;
            }
            if (victim == spared) {
                return false;
            }
            evict(victim, now);
        }
        return true;
    }

    /**
     * Without the {@link Evictor}'s lock: evicts this segment's victims (never {@code spared}) while the cache would
     * exceed a limit <em>and this write's own growth in that limit</em> (its unpublished change plus the extra) is
     * positive, so a put into a full cache pays for its entry from its own segment under the locks it holds. It
     * never evicts for an excess that others' writes made (their own {@link Evictor#evictUntilWithin} removes that),
     * so two writers evicting at once each evict only what they add: the cache does not end short of its limits.
     * Returns false, having published nothing yet, when the segment has no victim left but {@code spared}: the
     * caller asks again under the Evictor's lock, which may evict elsewhere.
     */
    private boolean makeRoomForOwnGrowth(int extraItems, long extraWeight, Entry spared, long now) {
        while (true) {
            long items = table.size() - publishedCount + extraItems;
            long bytes = held() - publishedWeight + extraWeight;
            if (!(items > 0 && occupancy.itemsExceededBy(items) || bytes > 0 && occupancy.weightExceededBy(bytes))) {
                return true;
            }
            Entry victim = policy.victim();
            if (victim == null || victim == spared) {
                return false;
            }
            evict(victim, now);
        }
    }

    /** Whether the cache would exceed a limit with this much more, counting this change's unpublished part. */
    private boolean overLimitsWith(long extraItems, long extraWeight) {
        return occupancy.exceededBy(table.size() - publishedCount + extraItems, held() - publishedWeight + extraWeight);
    }

    /** What the segment holds: its entries' weights, its tag index's own and its tombstones'. */
    private long held() {
        return weight + tagIndex.weight() + (tombstones == null ? 0 : tombstones.weight());
    }

    /** Removes a victim {@link ReplacementPolicy#victim} just named. */
    private void evict(Entry victim, long now) {
        remove(victim, policy.victimHash(victim));
        if (victim.isExpired(now)) {
            stats.expirations.increment();
        } else {
            stats.evictions.increment();
        }
    }

    private void expire(Entry entry) {
        remove(entry);
        stats.expirations.increment();
    }

    private void remove(Entry entry) {
        remove(entry, entry.hash());
    }

    /** {@link #remove(Entry)} with the entry's key hash at hand. */
    private void remove(Entry entry, long hash) {
        table.remove(entry, hash);
        weight -= entry.weight();
        if (compression != null) {
            compression.removed(entry);
        }
        if (entry.tagged()) {
            tagIndex.remove(entry);
        }
        if (entry.hasDeadline()) {
            expiry.remove(entry);
        }
        policy.onRemove(entry);
    }

    private void publish() {
        long held = held();
        occupancy.add(table.size() - publishedCount, held - publishedWeight);
        publishedCount = table.size();
        publishedWeight = held;
    }

    /** What a write reports: the entry it wrote, or null when it did not apply. */
    abstract static class Outcome {
        Entry written;
    }

    /** A put's inputs, and what it reports: whether it applied, the version, the entry written. */
    static final class Write extends Outcome {
        final byte[] data;
        final boolean tagged;
        /** Whether {@code data}'s value part is compressed ({@link ValueCompression}). */
        final boolean compressed;
        final long weight;
        final long deadline;
        final Condition condition;
        boolean applied;
        long version;

        Write(byte[] data, boolean tagged, long weight, long deadline, Condition condition) {
            this(data, tagged, false, weight, deadline, condition);
        }

        Write(byte[] data, boolean tagged, boolean compressed, long weight, long deadline, Condition condition) {
            this.data = data;
            this.tagged = tagged;
            this.compressed = compressed;
            this.weight = weight;
            this.deadline = deadline;
            this.condition = condition;
        }

        void applied(Entry entry) {
            applied = true;
            written = entry;
            version = entry.version;
        }

        void refused(Entry existing) {
            applied = false;
            written = null;
            version = existing == null ? 0 : existing.version;
        }

        /** Refused: the key was deleted at {@code deleted}, a version not older than the copy's. */
        void refusedByTombstone(long deleted) {
            applied = false;
            written = null;
            version = deleted;
        }
    }

    /** An increment's inputs, and what it reports. */
    static final class Increment extends Outcome {
        final long delta;
        final long deadlineIfCreated;
        final long maxEntryWeight;
        IncrResult result;

        Increment(long delta, long deadlineIfCreated, long maxEntryWeight) {
            this.delta = delta;
            this.deadlineIfCreated = deadlineIfCreated;
            this.maxEntryWeight = maxEntryWeight;
        }
    }
}
