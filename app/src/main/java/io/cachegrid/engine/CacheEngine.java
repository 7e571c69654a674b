package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The in-memory cache: keys spread over power-of-two lock stripes ({@link Segment}s), each enforcing its share
 * of the item and memory limits exactly with its own eviction policy and expiry heap. No lock spans segments;
 * counters are LongAdders. Values are opaque byte arrays, stored and returned as given, never copied.
 */
public final class CacheEngine {

    /**
     * Retained heap per entry beyond its key and value bytes: the {@code Entry} object (72 B), the segment's
     * HashMap node (32 B) and table slot (~6-11 B), the key's String object (24 B) and array header (16 B), the
     * value array header (16 B), and the arrays' padding to 8 bytes (~7 B on average).
     *
     * <p>Measured, not guessed, by {@code MemoryAccountingTest} on Java 25 (64-bit, compressed oops, G1): fill an
     * engine with 100,000 entries (keys of 6-10 Latin-1 chars, values of 32-231 bytes), run System.gc() a few
     * times, take the used heap (MemoryMXBean) minus the empty engine's, subtract the key and value bytes and
     * divide by the entry count: 183-184 bytes over repeated runs. The test keeps checking that the accounted
     * memory stays within 10% of the measured heap. Not counted: a policy's per-segment structures (heap arrays
     * of 4 B per entry for ttl/size, the tinylfu sketch of 8 B per entry of capacity).
     */
    public static final int ENTRY_OVERHEAD_BYTES = 184;

    private static final int MAX_AUTO_SEGMENTS = 64;
    private static final long MIN_ITEMS_PER_AUTO_SEGMENT = 64;
    private static final long MIN_BYTES_PER_AUTO_SEGMENT = 16L << 20;

    private final CacheSettings settings;
    private final Ticker ticker;
    private final StatsCounter stats = new StatsCounter();
    private final Segment[] segments;
    private final long maxEntryWeight;

    public CacheEngine(CacheSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ticker = settings.ticker();
        int count = settings.segments() == 0 ? autoSegments(settings) : settings.segments();
        SegmentLimits limits = SegmentLimits.share(settings, count);
        if (limits.maxItems() < 1 || limits.maxWeight() < ENTRY_OVERHEAD_BYTES) {
            throw new IllegalArgumentException(count + " segments leave each too small (" + limits
                    + "): each must hold at least one item of " + ENTRY_OVERHEAD_BYTES + " bytes");
        }
        this.maxEntryWeight = limits.maxWeight();
        this.segments = new Segment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = new Segment(settings.policy(), limits, stats);
        }
    }

    /** The largest power of two no larger than 64, maxSize/64 or maxMemoryBytes/16 MiB; at least 1. */
    static int autoSegments(CacheSettings settings) {
        long fit = Math.min(MAX_AUTO_SEGMENTS, Math.min(settings.maxSize() / MIN_ITEMS_PER_AUTO_SEGMENT,
                                                        settings.maxMemoryBytes() / MIN_BYTES_PER_AUTO_SEGMENT));
        return fit < 1 ? 1 : (int) Long.highestOneBit(fit);
    }

    /** The live value or null; counts one hit or one miss. An expired entry is a miss, removed and counted. */
    public byte[] get(String key) {
        return segmentFor(key).get(key, ticker.nanos());
    }

    /** Like {@link #get} but counts nothing and leaves the policy's order alone. */
    public byte[] peek(String key) {
        return segmentFor(key).peek(key, ticker.nanos());
    }

    /** Remaining time to live in nanoseconds; -1 for a live entry without TTL; -2 when absent or expired. */
    public long ttlRemainingNanos(String key) {
        return segmentFor(key).ttlRemainingNanos(key, ticker.nanos());
    }

    /**
     * Stores the value, replacing any previous one; {@code ttlNanos <= 0} means it never expires. Counts one set
     * and evicts per policy until both limits hold.
     *
     * @throws EntryTooLargeException when the entry outweighs {@link #maxEntryWeight()}; nothing changes then
     */
    public void put(String key, byte[] value, long ttlNanos) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long weight = weigh(key, value);
        if (weight > maxEntryWeight) {
            throw new EntryTooLargeException(weight, maxEntryWeight);
        }
        long now = ticker.nanos();
        segmentFor(key).put(key, value, weight, deadline(now, ttlNanos), now);
        stats.sets.increment();
    }

    /** Removes a live entry; true (and one delete counted) only if there was one. */
    public boolean delete(String key) {
        return segmentFor(key).delete(key, ticker.nanos());
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

    /** Removes every expired entry and returns how many; touches only expired entries (the sweeper's call). */
    public int expireDue() {
        long now = ticker.nanos();
        return (int) sumOverSegments(segment -> segment.expireDue(now));
    }

    public CacheStats stats() {
        return stats.snapshot(size(), memoryBytes(), settings);
    }

    /** Entries held now (expired ones not yet removed included); never above maxSize. */
    public long size() {
        return sumOverSegments(Segment::size);
    }

    /** Accounted bytes held now; never above maxMemoryBytes. */
    public long memoryBytes() {
        return sumOverSegments(Segment::weight);
    }

    /** The largest weight one entry may have: one segment's memory budget. */
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
     * what the JVM stores for the String: one byte per char when all chars are Latin-1 (compact strings), else
     * two, since that, not the UTF-8 length, is what the heap holds.
     */
    public static long weigh(String key, byte[] value) {
        return keyBytes(key) + (long) value.length + ENTRY_OVERHEAD_BYTES;
    }

    /** Throws IllegalStateException if any segment's counts, weights, indices or policy disagree with its map. */
    public void checkInvariants() {
        for (Segment segment : segments) {
            segment.checkInvariants();
        }
    }

    private static long keyBytes(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) > 0xFF) {
                return 2L * key.length();
            }
        }
        return key.length();
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

    /** Fibonacci hashing spreads even poor String hashes over the stripes. */
    private Segment segmentFor(String key) {
        int hash = key.hashCode() * 0x9E3779B9;
        return segments[(hash ^ (hash >>> 16)) & (segments.length - 1)];
    }
}
