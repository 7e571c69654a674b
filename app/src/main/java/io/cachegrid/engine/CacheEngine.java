package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The in-memory cache: keys spread over power-of-two lock stripes ({@link Segment}s), each with its own locks,
 * eviction policy and expiry heap. The item and memory limits are the whole cache's, held exactly: the
 * {@link Occupancy} totals them, a put into a full cache makes room in its own segment, and the {@link Evictor}
 * takes from the others when that one has nothing else. No thread ever holds two segments' locks, reads take no
 * exclusive lock (optimistic reads; the policy learns of them through a buffer, see
 * {@link Segment}); counters are LongAdders. Values are opaque byte arrays: a put copies the value in next to its
 * key (one array per entry, see {@link Entry}), a read returns a fresh copy, so callers may keep or change either
 * array.
 */
public final class CacheEngine {

    /**
     * Retained heap per entry beyond its key and value bytes. The layout ({@link Entry}, {@link EntryTable}), with
     * compressed oops and the default 12-byte object header: the {@code Entry} object, 40 B (header 12, three
     * references 12, the version 8, key length and tinylfu's region 2, hash tag 2, padding 4, which an lfu, ttl or
     * size entry fills with its int of policy state, {@link IndexedEntry}); the header of its one data array, 16 B
     * (12 + the 4-byte length), plus the padding of key + value bytes to 8, 0-7 B (3.5 on average); its segment's
     * table slot, a 4-byte reference at 37.5-75% load, 5.3-10.7 B. In all 65-70 B. With
     * {@code -XX:+UseCompactObjectHeaders} (8-byte header): a plain (lru, tinylfu) entry is 32 B, an indexed one 36
     * padded to 40, the array header 12 B, so 53-58 B (lru, tinylfu) on average. One constant serves both modes,
     * set between them.
     *
     * <p>Measured, not guessed, by {@code MemoryAccountingTest} on Java 25 (64-bit, G1): fill an engine with
     * 100,000 entries (keys of 6-10 ASCII chars, values of 32-231 bytes, 64 segments whose tables are 38% full),
     * run System.gc() a few times, take the used heap (MemoryMXBean) minus the empty engine's, subtract the key
     * and value bytes and divide by the entry count: 68.5-69.0 B with default headers, 57.0 B with compact
     * headers (64.6 B before the policy int left plain entries; before the version field of issue 11: 60.4-63.0,
     * typically 62.7, and 56.6 B). The project's own yardstick, 1M entries of 16-byte keys and 64-byte values
     * (LRU, tables 48% full, key + value a multiple of 8; {@code scripts/bench-memory.sh}), measures 63.7 B with
     * default and 55.3 B with compact headers (64.4 and 64.3 before; 57.0 and 57.1 before the version; the first
     * layout: 184 B). The test keeps checking that the accounted memory stays within 10% of the measured heap.
     *
     * <p>An entry with a TTL weighs {@link #EXPIRY_OVERHEAD_BYTES} more, one with tags its tag block's bytes and
     * {@link TagIndex#PAIR_BYTES} per tag more (and each segment its tag index's per-tag cost, {@link TagIndex}).
     * Not counted: the ttl and size policies' heap arrays (12 B per slot: reference and write order), the tinylfu
     * sketch (8 B per entry of capacity) and lfu's buckets (one per distinct frequency).
     */
    public static final int ENTRY_OVERHEAD_BYTES = 65;

    /**
     * What a TTL adds to an entry: an {@link ExpiringEntry} is 8 B larger with default headers (deadline and
     * expiry-heap index: 48 B against 40; an indexed one 56) and 16 B with compact ones (48 against 32; an indexed
     * one 48 against 40), and holds a 4-byte slot of the segment's expiry heap. {@code MemoryAccountingTest}
     * measured 14.6 B (default headers) and 20.9 B (compact). Counted so that a cache of expiring entries is
     * accounted as truly as one without ({@code MemoryAccountingTest} checks both).
     */
    public static final int EXPIRY_OVERHEAD_BYTES = 20;

    private static final int MAX_AUTO_SEGMENTS = 64;
    private static final long MIN_ITEMS_PER_AUTO_SEGMENT = 64;
    private static final long MIN_BYTES_PER_AUTO_SEGMENT = 16L << 20;

    private final CacheSettings settings;
    private final Ticker ticker;
    private final StatsCounter stats = new StatsCounter();
    private final Segment[] segments;
    private final Occupancy occupancy;
    private final Evictor evictor;
    private final ExpiryCycle expiry;
    private final long maxEntryWeight;
    private final VersionClock clock;
    /** Values longer than this are tried compressed; {@code Integer.MAX_VALUE} when compression is off. */
    private final int compressAbove;
    /** What compression saves now; null when it is off. */
    private final CompressionTally compression;
    private final ClearEpoch clearEpoch = new ClearEpoch();
    /** The {@link #listen} listener, told of versioned clears here (the segments hold it for everything else). */
    private volatile ChangeListener changes;

    public CacheEngine(CacheSettings settings) {
        this(settings, new VersionClock());
    }

    /** An engine whose writes take their versions from {@code clock} (tests give it a wall clock of their own). */
    public CacheEngine(CacheSettings settings, VersionClock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = settings.ticker();
        int count = settings.segments() == 0 ? autoSegments(settings) : settings.segments();
        if (settings.maxMemoryBytes() < ENTRY_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("maxMemoryBytes " + settings.maxMemoryBytes()
                    + " cannot hold one entry of at least " + ENTRY_OVERHEAD_BYTES + " bytes");
        }
        this.maxEntryWeight = Math.min(settings.maxMemoryBytes(), Entry.MAX_PAYLOAD_BYTES + ENTRY_OVERHEAD_BYTES);
        this.occupancy = new Occupancy(settings.maxSize(), settings.maxMemoryBytes());
        SegmentLimits share = SegmentLimits.share(settings, count);
        int threshold = settings.compressionThresholdBytes();
        this.compressAbove = threshold > 0 ? threshold : Integer.MAX_VALUE;
        this.compression = threshold > 0 ? new CompressionTally(threshold) : null;
        this.segments = new Segment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = new Segment(settings.policy(), share, occupancy, stats, clock, settings.tombstoneNanos(),
                                      compression, clearEpoch);
        }
        this.evictor = new Evictor(segments, occupancy);
        this.expiry = new ExpiryCycle(segments, ticker);
    }

    /** The largest power of two no larger than 64, maxSize/64 or maxMemoryBytes/16 MiB; at least 1. */
    static int autoSegments(CacheSettings settings) {
        long fit = Math.min(MAX_AUTO_SEGMENTS, Math.min(settings.maxSize() / MIN_ITEMS_PER_AUTO_SEGMENT,
                                                        settings.maxMemoryBytes() / MIN_BYTES_PER_AUTO_SEGMENT));
        return fit < 1 ? 1 : (int) Long.highestOneBit(fit);
    }

    /**
     * A copy of the live value, or null; counts one hit or one miss. An expired entry is a miss, removed and
     * counted.
     */
    public byte[] get(String key) {
        ValueView view = getView(key);
        return view == null ? null : view.toByteArray();
    }

    /**
     * The live value as a read-only view of the stored bytes, without copying them ({@link ValueView}), or null;
     * counts one hit or one miss exactly like {@link #get}. For writing a value out (responses): a 5 MB value read
     * this way costs no 5 MB of heap.
     */
    public ValueView getView(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).get(encoded, hash, ticker);
    }

    /** Like {@link #get} but counts nothing and leaves the policy's order alone. */
    public byte[] peek(String key) {
        ValueView view = peekView(key);
        return view == null ? null : view.toByteArray();
    }

    /** Like {@link #getView} but counts nothing and leaves the policy's order alone. */
    public ValueView peekView(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).peek(encoded, hash, ticker.nanos());
    }

    /**
     * The live entry, its value (not copied), version, remaining TTL and tags, all of one write; null when absent
     * or expired. Counts one hit or one miss exactly like {@link #get}.
     */
    public Stored getStored(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return stored(segmentFor(hash).get(encoded, hash, ticker), encoded.length, ticker);
    }

    /** Like {@link #getStored} but counts nothing and leaves the policy's order alone. */
    public Stored peekStored(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return stored(segmentFor(hash).peek(encoded, hash, ticker.nanos()), encoded.length, ticker);
    }

    /**
     * The key's live value as stored, compressed or not, with its version; null when absent or expired. Counts
     * nothing. For the persistence log, which keeps a compressed value as it is
     * ({@link ValueCompression#decompress} gives it back).
     */
    public StoredForm peekStoredForm(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).peekStoredForm(encoded, hash, ticker.nanos());
    }

    /** Remaining time to live in nanoseconds; -1 for a live entry without TTL; -2 when absent or expired. */
    public long ttlRemainingNanos(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).ttlRemainingNanos(encoded, hash, ticker.nanos());
    }

    /**
     * Stores the value, replacing any previous one (and its tags); {@code ttlNanos <= 0} means it never expires.
     * Counts one set and evicts per policy until both limits hold: from this key's segment first, then from the
     * others ({@link Evictor}); the entry written is never its own victim.
     *
     * @throws EntryTooLargeException when the entry outweighs {@link #maxEntryWeight()}; nothing changes then
     */
    public void put(String key, byte[] value, long ttlNanos) {
        put(key, value, ttlNanos, List.of());
    }

    /**
     * {@link #put(String, byte[], long)} with tags (none: an empty list; duplicates are dropped, the order kept):
     * the new tags replace the key's old ones. Returns the new version.
     *
     * @throws EntryTooLargeException   when the entry outweighs {@link #maxEntryWeight()}; nothing changes then
     * @throws IllegalArgumentException for more than {@link #MAX_TAGS} tags or one longer than
     *                                  {@link #MAX_TAG_BYTES} UTF-8 bytes (the format's limits)
     */
    public long put(String key, byte[] value, long ttlNanos, List<String> tags) {
        return putIf(key, value, ttlNanos, tags, Condition.ANY).version();
    }

    /**
     * {@link #put(String, byte[], long, List)} if {@code condition} holds for the key's live entry, decided and
     * written under the key's segment lock. Counts one set when it applies, nothing when refused.
     *
     * @return applied and the new version, or refused and the current version (0 when absent)
     */
    public WriteResult putIf(String key, byte[] value, long ttlNanos, List<String> tags, Condition condition) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(condition, "condition");
        return write(Keys.encode(key), Tags.encode(tags), value, ttlNanos, condition);
    }

    /**
     * {@link #putIf} of a value in the form the engine stores it, as {@link #peekStoredForm} gave it out (a
     * persistence log keeps it so): {@code compressed}, the compressed form, stored as it is by an engine that
     * compresses and decompressed by one that does not; else the value's own bytes, stored as they are (not
     * compressed now even when long: the form is kept).
     *
     * @throws IllegalArgumentException when {@code compressed} and the bytes are not a compressed form this engine
     *                                  wrote (they do not decompress); nothing changes then
     */
    public WriteResult putStoredForm(String key, byte[] stored, boolean compressed, long ttlNanos, List<String> tags,
                                     Condition condition) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(condition, "condition");
        return writeStoredForm(Keys.encode(key), Tags.encode(tags), stored, compressed, ttlNanos, condition);
    }

    /** {@link #putStoredForm} of a key and tags already in their stored form ({@code tagBlock} null: untagged). */
    private WriteResult writeStoredForm(byte[] encoded, byte[] tagBlock, byte[] stored, boolean compressed,
                                        long ttlNanos, Condition condition) {
        if (compressed) {
            byte[] value;
            try {
                value = ValueCompression.decompress(stored, 0, stored.length);
            } catch (IllegalStateException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a compressed value: " + e.getMessage(), e);
            }
            if (!ValueCompression.worthKeeping(stored.length, value.length)) {
                return writeStored(encoded, tagBlock, value, false, ttlNanos, condition);
            }
        }
        return writeStored(encoded, tagBlock, stored, compressed, ttlNanos, condition);
    }

    /** {@link #putIf} of a key and tags already in their stored form ({@code tagBlock} null: untagged). */
    private WriteResult write(byte[] encoded, byte[] tagBlock, byte[] value, long ttlNanos, Condition condition) {
        if (value.length > compressAbove) {         // off: never, at the cost of this one comparison
            byte[] compressed = ValueCompression.compress(value);
            if (compressed != null) {
                return writeStored(encoded, tagBlock, compressed, true, ttlNanos, condition);
            }
        }
        return writeStored(encoded, tagBlock, value, false, ttlNanos, condition);
    }

    /**
     * {@link #write} of the value as it is to be stored: its compressed form ({@link ValueCompression}) when
     * {@code compressed}, else its own bytes. A compressed form given to an engine that does not compress (one
     * restored from a persistence log written with compression on) is decompressed and stored plain.
     */
    private WriteResult writeStored(byte[] encoded, byte[] tagBlock, byte[] stored, boolean compressed, long ttlNanos,
                                    Condition condition) {
        if (compressed && compression == null) {
            stored = ValueCompression.decompress(stored, 0, stored.length);
            compressed = false;
        }
        int tagCount = tagBlock == null ? 0 : Tags.count(tagBlock, 0);
        long weight = (long) encoded.length + (tagBlock == null ? 0 : tagBlock.length) + stored.length
                + ENTRY_OVERHEAD_BYTES + (ttlNanos > 0 ? EXPIRY_OVERHEAD_BYTES : 0)
                + (long) tagCount * TagIndex.PAIR_BYTES;
        // the entry must fit together with what its tags may add to its segment's index (their bytes once more and
        // a set each, at most), or it could end up its own victim
        long bound = weight + (tagBlock == null ? 0 : tagBlock.length + (long) tagCount * TagIndex.SET_TAG_BYTES);
        if (bound > maxEntryWeight) {
            throw new EntryTooLargeException(bound, maxEntryWeight);
        }
        byte[] data = Entry.newData(encoded, tagBlock, stored, 0, stored.length);   // outside the lock
        long hash = Keys.hash(encoded);
        long now = ticker.nanos();
        Segment home = segmentFor(hash);
        Segment.Write write = new Segment.Write(data, tagBlock != null, compressed, weight, deadline(now, ttlNanos),
                                                condition);
        writeMakingRoom(home, write, now, makeRoom -> home.put(encoded, hash, write, now, makeRoom));
        return new WriteResult(write.applied, write.version);
    }

    /** {@link #restore(byte[], byte[], byte[], boolean, long, long)} of a value stored as its own bytes. */
    public WriteResult restore(byte[] key, byte[] tagBlock, byte[] value, long version, long ttlNanos) {
        return restore(key, tagBlock, value, false, version, ttlNanos);
    }

    /**
     * Stores an entry as a {@link ChangeListener} saw it (a snapshot or log record being loaded): the key's stored
     * bytes, its tag block (null or empty: none) and its value bytes as stored, at {@code version}, through the
     * normal write path, so the limits and the eviction policy apply as to any put. Like a replica copy
     * ({@link Condition#newer}) it applies only over an older entry (and not at or below a versioned clear's epoch);
     * the clock observes the version. Counts one set.
     *
     * <p>{@code compressed}: the bytes are a compressed form ({@link ChangeListener#stored}), taken as
     * {@link #putStoredForm} takes them: kept compressed by an engine that compresses, decompressed by one that does
     * not (a node restarted with compression off). Otherwise they are the value itself and go through the write path
     * as a put's would: an engine that compresses compresses them when they are above its threshold (a node
     * restarted with compression on saves the memory at once); one that does not keeps them as they are.
     *
     * @throws EntryTooLargeException   when the entry outweighs {@link #maxEntryWeight()}; nothing changes then
     * @throws IllegalArgumentException when the tag block is malformed, or {@code compressed} bytes do not
     *                                  decompress; nothing changes then
     */
    public WriteResult restore(byte[] key, byte[] tagBlock, byte[] value, boolean compressed, long version,
                               long ttlNanos) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        byte[] block = tagBlock == null || tagBlock.length == 0 ? null : tagBlock;
        if (block != null && !wellFormed(block)) {
            throw new IllegalArgumentException("malformed tag block of " + block.length + " bytes");
        }
        Condition newer = Condition.newer(version);
        return compressed ? writeStoredForm(key, block, value, true, ttlNanos, newer)
                          : write(key, block, value, ttlNanos, newer);
    }

    /**
     * Tells {@code listener} of every change from now on (null: nobody), under the changed key's segment lock
     * ({@link ChangeListener}). Set it before the engine serves writes.
     */
    public void listen(ChangeListener listener) {
        changes = listener;
        for (Segment segment : segments) {
            segment.changes = listener;
        }
    }

    /**
     * Hands every live entry to {@code visitor} ({@link ChangeListener#stored}) and, in an engine that keeps them,
     * every tombstone still in its grace period ({@link ChangeListener#deleted}), one segment at a time: each
     * segment's are taken in one hold of its read lock (writers to that segment wait that long), then given to the
     * visitor without a lock. Before them, the epoch of the last versioned clear ({@link ChangeListener#cleared};
     * not when there was none), read first, so a snapshot that holds it refuses at a load what the clear refused.
     * Returns how many entries and tombstones it handed over.
     */
    public long forEachEntry(ChangeListener visitor) {
        long epoch = clearEpoch.get();
        if (epoch != 0) {
            visitor.cleared(epoch);
        }
        long now = ticker.nanos();
        long count = 0;
        for (Segment segment : segments) {
            count += segment.forEachEntry(visitor, now);
        }
        return count;
    }

    /** The key whose stored bytes ({@link ChangeListener}) these are. */
    public static String keyOf(byte[] stored) {
        return Keys.decode(stored, 0, stored.length);
    }

    /** The ticker of this engine's deadlines. */
    public Ticker ticker() {
        return ticker;
    }

    private static boolean wellFormed(byte[] tagBlock) {
        try {
            return Tags.count(tagBlock, 0) > 0 && Tags.blockLength(tagBlock, 0) == tagBlock.length;
        } catch (ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** One try of a segment write ({@link Segment#put}, {@link Segment#increment}); false: no room, nothing done. */
    @FunctionalInterface
    private interface SegmentWrite {
        boolean attempt(boolean makeRoom);
    }

    /**
     * Runs a write that may find the cache full: it tries without evicting; if there is no room it tries again
     * under the eviction lock, making room from its own segment's victims first; then, if the cache is still (or,
     * after a concurrent put took the room this one found, again) over a limit, the {@link Evictor} evicts from the
     * others, sparing the entry written. Counts one set when the write applied.
     */
    private void writeMakingRoom(Segment home, Segment.Outcome outcome, long now, SegmentWrite write) {
        if (!write.attempt(false)) {
            evictor.lock();
            try {
                write.attempt(true);
                evictor.evictUntilWithin(home, outcome.written, now);
            } finally {
                evictor.unlock();
            }
        } else if (outcome.written != null && occupancy.exceeded()) {
            evictor.evictUntilWithin(home, outcome.written, now);
        }
        if (outcome.written != null) {
            stats.sets.increment();
        }
    }

    /**
     * Removes the key's live entry if {@code condition} holds for it ({@link Condition#ANY},
     * {@link Condition#PRESENT} or a {@link Condition.Version}), decided under the key's segment lock. Counts one
     * delete when it applies.
     *
     * @return applied and the version deleted, or refused and the current version (0 when absent)
     * @throws IllegalArgumentException for {@link Condition#ABSENT}, which no delete can satisfy
     */
    public WriteResult deleteIf(String key, Condition condition) {
        Objects.requireNonNull(condition, "condition");
        if (condition instanceof Condition.Absent) {
            throw new IllegalArgumentException("a delete cannot require the key to be absent");
        }
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).deleteIf(encoded, hash, condition, ticker.nanos());
    }

    /**
     * Adds {@code delta} to the key's integer value, decided and written under the key's segment lock. A value is
     * an integer when it is JSON integer text, {@code -?(0|[1-9][0-9]*)}, within the 64-bit range; the result is
     * stored as such text, with the entry's tags and deadline kept. An absent key is created at 0 and then
     * incremented, with {@code ttlNanosIfCreated} ({@code <= 0}: none). Counts one set when it applies; when the
     * value is not an integer or the sum would overflow, nothing changes and nothing is counted.
     */
    public IncrResult increment(String key, long delta, long ttlNanosIfCreated) {
        Objects.requireNonNull(key, "key");
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        long now = ticker.nanos();
        Segment home = segmentFor(hash);
        Segment.Increment increment = new Segment.Increment(delta, deadline(now, ttlNanosIfCreated), maxEntryWeight);
        writeMakingRoom(home, increment, now, makeRoom -> home.increment(encoded, hash, increment, now, makeRoom));
        return increment.result;
    }

    /**
     * Removes every live entry carrying the tag, segment by segment, each under that segment's locks: a write
     * racing it is either removed by it or written after it (its version is then newer than any taken before this
     * call began), never half. Returns how many live entries it removed; counts no deletes (like {@link #clear}).
     */
    public long invalidateTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        if (keepsTombstones()) {
            return invalidateTag(tag, clock.next());
        }
        long now = ticker.nanos();
        return sumOverSegments(segment -> segment.invalidateTag(tag, now));
    }

    /**
     * {@link #invalidateTag(String)} as of {@code version} (a cluster's invalidation, one version chosen by the member
     * that received it and sent to all): removes the live entries carrying the tag whose version is older (a newer
     * one was written after the invalidation, in version order, on every member alike) and, when this engine keeps
     * tombstones, leaves one at {@code version} for each key removed, so an older copy cannot bring it back.
     * Returns how many live entries it removed; counts no deletes.
     */
    public long invalidateTag(String tag, long version) {
        Objects.requireNonNull(tag, "tag");
        if (version == 0) {
            throw new IllegalArgumentException("an invalidation version must not be 0");
        }
        long now = ticker.nanos();
        return sumOverSegments(segment -> segment.invalidateTag(tag, version, now));
    }

    /**
     * Up to {@code limit} live keys carrying the tag, from the {@code offset}-th on, and how many carry it in all.
     * The order is by segment, then the segment's index: stable across calls while the tag's entries do not
     * change (so pages fit together), not sorted. One segment's read lock at a time; counts nothing.
     */
    public KeyPage keysWithTag(String tag, int offset, int limit) {
        Objects.requireNonNull(tag, "tag");
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0, were " + offset + ", " + limit);
        }
        long now = ticker.nanos();
        List<String> keys = new ArrayList<>(Math.min(limit, 1024));
        long total = 0;
        for (Segment segment : segments) {
            total += segment.collectTagged(tag, offset, limit, total, now, keys);
        }
        return new KeyPage(keys, total);
    }

    /** The clock this engine's versions come from (the cluster observes remote versions through it). */
    public VersionClock versionClock() {
        return clock;
    }

    /**
     * Removes a live entry; true (and one delete counted) only if there was one. An engine that keeps tombstones
     * leaves one at a new version whether or not there was an entry ({@link #tombstoneVersion} reads it).
     */
    public boolean delete(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).delete(encoded, hash, ticker.nanos());
    }

    /**
     * A delete at {@code version} (a copy of the primary's delete): removes the key's live entry if it is older and
     * leaves a tombstone at {@code version} (when this engine keeps tombstones), unless the key already holds that
     * version or a newer one, live or tombstoned. Counts one delete when a live entry went.
     *
     * @return applied and {@code version}, or refused and the newer version held
     */
    public WriteResult deleteVersioned(String key, long version) {
        if (version == 0) {
            throw new IllegalArgumentException("a delete version must not be 0");
        }
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).deleteVersioned(encoded, hash, version, ticker.nanos());
    }

    /**
     * {@link #deleteVersioned(String, long)} for a tombstone pushed by another member: it lasts what was left of its
     * grace period there ({@code remainingNanos}, capped at this engine's), so tombstones handed back and forth
     * never outlive the delete's grace period.
     */
    public WriteResult deleteVersioned(String key, long version, long remainingNanos) {
        if (version == 0) {
            throw new IllegalArgumentException("a delete version must not be 0");
        }
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).deleteVersioned(encoded, hash, version, ticker.nanos(), remainingNanos);
    }

    /**
     * What this engine holds for the key, read in one hold of its segment's read lock: the live entry's version (and
     * remaining ttl), or its tombstone's version (and remaining grace), or null for neither. Counts nothing.
     */
    public KeyVersion versionOf(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).state(encoded, hash, key, ticker.nanos());
    }

    /**
     * One page of a walk over everything this engine holds, live entries and tombstones still in their grace
     * period, as (key, version) without values: start at {@link VersionPage#START} and pass each page's cursor to
     * the next call until it is {@link VersionPage#DONE}. A page holds at most {@code maxItems} keys and stops once
     * their UTF-8 bytes reach {@code maxKeyBytes} (so its memory is bounded whatever the engine holds; only a probe
     * run of a segment's table longer than a whole page makes a page larger), and each call holds one segment's read
     * lock for one step at a time. The walk goes segment by segment, slot by slot, then over the segment's
     * tombstones; a page ends between probe runs, so the caller may remove the keys of a page it was given (as
     * rebalancing does) without the walk missing others ({@link Segment#scan}). It is not a snapshot: a key written
     * by others, deleted or moved (a table that grew) during the walk may be missed or seen twice, so its users
     * (rebalancing, anti-entropy) repeat their walks.
     */
    public VersionPage scan(long cursor, int maxItems, long maxKeyBytes) {
        if (cursor < 0 || maxItems < 1 || maxKeyBytes < 1) {
            throw new IllegalArgumentException("cursor " + cursor + ", maxItems " + maxItems + ", maxKeyBytes "
                                               + maxKeyBytes);
        }
        int segment = (int) (cursor >>> 32);
        int position = (int) cursor;
        long now = ticker.nanos();
        List<KeyVersion> items = new ArrayList<>(Math.min(maxItems, 1024));
        int maxSlots = Math.max(1024, maxItems * 8);
        long keyBytes = 0;
        while (segment < segments.length) {
            int before = items.size();
            int next = segments[segment].scan(position, maxItems, maxKeyBytes - keyBytes, maxSlots, now, items);
            for (int i = before; i < items.size(); i++) {
                keyBytes += Keys.encodedLength(items.get(i).key());
            }
            if (next < 0) {
                segment++;
                position = 0;
            } else {
                position = next;
            }
            if (items.size() >= maxItems || keyBytes >= maxKeyBytes || next >= 0) {
                break; // a full page, or the step's budget of slots used up: the caller asks again
            }
        }
        long following = segment >= segments.length ? VersionPage.DONE : ((long) segment << 32) | position;
        return new VersionPage(items, following);
    }

    /** The version of the key's tombstone still in its grace period, or 0 (none, live, or tombstones off). */
    public long tombstoneVersion(String key) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).tombstoneVersion(encoded, hash, ticker.nanos());
    }

    /**
     * Drops the key's live entry if its version is still {@code version}, leaving no tombstone and counting no
     * delete: a copy handed over to other owners. True if it went.
     */
    public boolean discard(String key, long version) {
        byte[] encoded = Keys.encode(key);
        long hash = Keys.hash(encoded);
        return segmentFor(hash).discard(encoded, hash, version, ticker.nanos());
    }

    /** Whether deletes leave tombstones (a clustered engine). */
    public boolean keepsTombstones() {
        return settings.tombstoneNanos() > 0;
    }

    /** Tombstones held now, expired ones not yet swept included; never counted in {@link #size()}. */
    public long tombstoneCount() {
        return sumOverSegments(Segment::tombstoneCount);
    }

    /**
     * A cluster's clear as of {@code epoch} (one version, chosen by the member that received the clear and sent to
     * all): removes every live entry older than it, segment by segment, keeps newer ones, and from then on refuses
     * any copy at that version or older (a late replica write, a push, a repair), so nothing written before the
     * clear comes back. Returns how many live entries were removed; counts no deletes (like {@link #clear()}).
     */
    public long clear(long epoch) {
        if (epoch == 0) {
            throw new IllegalArgumentException("a clear version must not be 0");
        }
        clock.observe(epoch);
        clearEpoch.raise(epoch);
        ChangeListener listener = changes;
        if (listener != null) {
            listener.cleared(epoch); // before any segment: what this clear removes is reported as the clear
        }
        long now = ticker.nanos();
        return sumOverSegments(segment -> segment.clear(epoch, now));
    }

    /** The last versioned clear's epoch ({@link #clear(long)}), or 0 when there was none. */
    public long clearEpoch() {
        return clearEpoch.get();
    }

    /** Removes everything, segment by segment; returns how many live entries were removed. */
    public long clear() {
        long now = ticker.nanos();
        return sumOverSegments(segment -> segment.clear(now));
    }

    /**
     * Up to {@code limit} live keys containing {@code substring} ("" matches all), in no particular order, and how
     * many match in all. Scans the segments one lock at a time (an admin call); counts nothing.
     */
    public KeyPage keys(String substring, int limit) {
        Objects.requireNonNull(substring, "substring");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        long now = ticker.nanos();
        List<String> keys = new ArrayList<>(Math.min(limit, 1024));
        long total = 0;
        for (Segment segment : segments) {
            total += segment.collectKeys(substring, limit, now, keys);
        }
        return new KeyPage(keys, total);
    }

    /**
     * Removes expired entries, touching only those (the sweeper's call), in bounded steps: at most
     * {@link ExpiryCycle#ENTRIES_PER_STEP} per hold of a segment's locks and {@link ExpiryCycle#BUDGET_NANOS} in
     * all; {@link ExpirySweep#done()} is false when it stopped on that budget with entries still due.
     */
    public ExpirySweep expireDue() {
        return expiry.sweep();
    }

    public CacheStats stats() {
        return stats.snapshot(size(), memoryBytes(), settings);
    }

    /** What compression saves over the values held now; all zeros (threshold 0) when it is off. */
    public CompressionStats compressionStats() {
        return compression == null ? new CompressionStats(0, 0, 0, 0, 0, 0) : compression.snapshot();
    }

    /**
     * Entries held now (expired ones not yet removed included); at most maxSize once the puts in flight have
     * made room ({@link Evictor}).
     */
    public long size() {
        return occupancy.items();
    }

    /**
     * Accounted bytes held now, tombstones included; at most maxMemoryBytes once the puts in flight have made room
     * (unless tombstones alone exceed it: they are never evicted, only expire).
     */
    public long memoryBytes() {
        return occupancy.weight();
    }

    /** The largest weight one entry may have: the whole memory budget, or what one Java array can hold. */
    public long maxEntryWeight() {
        return maxEntryWeight;
    }

    public EvictionPolicy policy() {
        return settings.policy();
    }

    public int segmentCount() {
        return segments.length;
    }

    public CacheSettings settings() {
        return settings;
    }

    /**
     * The accounted memory of one entry: key bytes + value bytes + {@link #ENTRY_OVERHEAD_BYTES}. Key bytes are
     * the key's UTF-8 length, since that is what the entry stores (a lone surrogate, which UTF-8 cannot spell,
     * counts 3 bytes, as {@link Keys} stores it).
     */
    public static long weigh(String key, byte[] value) {
        return Keys.encodedLength(key) + (long) value.length + ENTRY_OVERHEAD_BYTES;
    }

    /** The accounted memory of one entry stored with this ttl ({@code <= 0}: none); see {@link #put}. */
    public static long weigh(String key, byte[] value, long ttlNanos) {
        return weigh(key, value) + (ttlNanos > 0 ? EXPIRY_OVERHEAD_BYTES : 0);
    }

    /**
     * The accounted memory of one entry stored with this ttl and these tags: the tag block's bytes and
     * {@link TagIndex#PAIR_BYTES} per distinct tag more. (Each segment also accounts, once per distinct tag it
     * holds, the index's own cost of that tag: the tag's bytes plus {@link TagIndex#SINGLE_TAG_BYTES} or
     * {@link TagIndex#SET_TAG_BYTES}.)
     */
    public static long weigh(String key, byte[] value, long ttlNanos, List<String> tags) {
        byte[] block = Tags.encode(tags);
        return weigh(key, value, ttlNanos)
               + (block == null ? 0 : block.length + (long) Tags.count(block, 0) * TagIndex.PAIR_BYTES);
    }

    /**
     * The bytes a key or a tag takes in an entry: its UTF-8 length, a lone surrogate counting 3 bytes (it is
     * stored as its own three-byte sequence, see {@code Keys}), so a tag fits when this is at most
     * {@link #MAX_TAG_BYTES}.
     */
    public static long encodedLength(String keyOrTag) {
        return Keys.encodedLength(keyOrTag);
    }

    /** Most tags one entry can carry (the format's limit; the HTTP layer's is smaller). */
    public static final int MAX_TAGS = Tags.MAX_TAGS;
    /** Longest tag in UTF-8 bytes (the format's limit; the HTTP layer's is smaller). */
    public static final int MAX_TAG_BYTES = Tags.MAX_TAG_BYTES;

    /**
     * Throws IllegalStateException if any segment's counts, weights, indices or policy disagree with its map, or,
     * checked at quiescence, if the cache's totals are not the sum of its segments' or exceed a limit.
     */
    public void checkInvariants() {
        CompressionTally recount = compression == null ? null : compression.empty();
        for (Segment segment : segments) {
            segment.checkInvariants(recount);
        }
        if (recount != null) {
            Invariants.check(recount.snapshot().equals(compression.snapshot()), "compression totals "
                             + compression.snapshot() + " but the entries hold " + recount.snapshot());
        }
        long items = sumOverSegments(Segment::size);
        long weight = sumOverSegments(Segment::weight);
        Invariants.check(occupancy.items() == items && occupancy.weight() == weight,
                         "cache totals " + occupancy + " but the segments hold " + items + " entries, " + weight
                         + " bytes");
        Invariants.check(!occupancy.exceeded(), "cache over its limits: " + occupancy);
    }

    /**
     * Reads whose access no policy ever saw, summed over the segments: the bounded loss of the lossy access
     * buffers under contention ({@link Segment}). Always 0 single-threaded.
     */
    long droppedAccesses() {
        return sumOverSegments(Segment::droppedAccesses);
    }

    private static long deadline(long now, long ttlNanos) {
        if (ttlNanos <= 0) {
            return Entry.NO_DEADLINE;
        }
        long deadline = now + ttlNanos;
        return deadline < now ? Entry.NO_DEADLINE - 1 : Math.min(deadline, Entry.NO_DEADLINE - 1);
    }

    private long sumOverSegments(ToLongFunction<Segment> perSegment) {
        long sum = 0;
        for (Segment segment : segments) {
            sum += perSegment.applyAsLong(segment);
        }
        return sum;
    }

    /** Hash bits 48 and up pick the stripe; the table inside uses bits 0-31 and the tags 32-47 ({@link Keys}). */
    private Segment segmentFor(long hash) {
        return segments[(int) (hash >>> 48) & (segments.length - 1)];
    }

    /** The live entry read as {@code view} (null for none) as a {@link Stored}. */
    private static Stored stored(ValueView view, int keyLength, Ticker clock) {
        if (view == null) {
            return null;
        }
        int keyEnd = Entry.keyEnd(keyLength);
        List<String> tags = view.offset() > keyEnd ? Tags.decode(view.storedArray(), keyEnd) : List.of();
        long ttl = view.deadline == Entry.NO_DEADLINE ? -1 : Math.max(0, view.deadline - clock.nanos());
        return new Stored(view, view.version, ttl, tags);
    }
}
