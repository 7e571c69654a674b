package io.cachegrid.engine;

import java.util.SplittableRandom;

/**
 * A count-min sketch of 4-bit counters: the popularity memory of TinyLFU, in a few bytes per cached entry.
 *
 * <p>Each key maps to {@link #DEPTH} counters, one per independent hash; an access increments those counters
 * (saturating at 15), and the estimate is the smallest of them, since collisions can only inflate a counter.
 * Sixteen counters are packed in each long.
 *
 * <p>Aging: after a sample of {@link #SAMPLE_SIZE_PER_ENTRY}× capacity increments every counter is halved
 * (one shift and mask per long), so the sketch tracks recent popularity and old favourites fade. The sample
 * count is halved too, an approximation of the increments that remain after the halving.
 *
 * <p>Hashing: the key's hash ({@link Keys}, itself seeded per JVM) is xored with a random seed drawn per sketch
 * and mixed, so which keys share counters differs from segment to segment and from run to run: nobody can choose
 * keys that inflate a victim's estimate and lock new keys out. The table has at least {@link #MIN_TABLE_LONGS}
 * longs, so that even a tiny cache tells its few keys apart (a collision could otherwise flip an admission).
 */
final class FrequencySketch {
    static final int MAX_COUNT = 15;
    private static final int DEPTH = 4;
    private static final int SAMPLE_SIZE_PER_ENTRY = 10;
    private static final int MAX_TABLE_LONGS = 1 << 24;
    /** 64 longs, 1,024 counters: 512 bytes, the floor for small caches. */
    private static final int MIN_TABLE_LONGS = 64;
    private static final long HALF_EACH_COUNTER = 0x7777_7777_7777_7777L;
    /** Odd multipliers, one per hash row (the first 64 bits of the fractional parts of sqrt of primes). */
    private static final long[] ROW_SEEDS = {
            0x6a09e667f3bcc909L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L};

    private final long[] table;
    private final long seed;
    private final long sampleSize;
    private long additions;

    /** @param capacity how many entries the sketch should tell apart; one long (16 counters) each */
    FrequencySketch(long capacity) {
        this(capacity, new SplittableRandom().nextLong());
    }

    /** A sketch with a chosen hash seed, for repeatable tests. */
    FrequencySketch(long capacity, long seed) {
        this.seed = seed;
        int longs = (int) Math.clamp(Long.highestOneBit(Math.max(1, capacity - 1) << 1), MIN_TABLE_LONGS,
                                     MAX_TABLE_LONGS);
        this.table = new long[longs];
        this.sampleSize = SAMPLE_SIZE_PER_ENTRY * Math.max(1, capacity);
    }

    /** The estimated number of recent accesses of the key with this hash ({@link Keys}), 0 to 15. */
    int frequency(long keyHash) {
        long hash = mix(keyHash ^ seed);
        int estimate = MAX_COUNT;
        for (int row = 0; row < DEPTH; row++) {
            long rowHash = rowHash(hash, row);
            estimate = Math.min(estimate, (int) ((table[index(rowHash)] >>> shift(rowHash)) & MAX_COUNT));
        }
        return estimate;
    }

    /** Records one access of the key with this hash, halving all counters when the sample is complete. */
    void increment(long keyHash) {
        long hash = mix(keyHash ^ seed);
        boolean added = false;
        for (int row = 0; row < DEPTH; row++) {
            long rowHash = rowHash(hash, row);
            int index = index(rowHash);
            int shift = shift(rowHash);
            if (((table[index] >>> shift) & MAX_COUNT) < MAX_COUNT) {
                table[index] += 1L << shift;
                added = true;
            }
        }
        if (added && ++additions >= sampleSize) {
            halve();
        }
    }

    void checkInvariants() {
        Invariants.check(additions >= 0 && additions < sampleSize, "sketch sample count " + additions);
    }

    private void halve() {
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & HALF_EACH_COUNTER;
        }
        additions /= 2;
    }

    private int index(long rowHash) {
        return (int) (rowHash >>> 32) & (table.length - 1);
    }

    private static int shift(long rowHash) {
        return ((int) rowHash & 15) << 2;
    }

    private static long rowHash(long hash, int row) {
        long h = hash * ROW_SEEDS[row];
        return h ^ (h >>> 29);
    }

    /** The murmur3 64-bit finalizer: every input bit affects every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
