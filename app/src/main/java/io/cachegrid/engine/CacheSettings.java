package io.cachegrid.engine;

import java.util.Objects;

/**
 * How big a cache may grow and how it chooses what to drop.
 *
 * @param maxSize        most entries held at once
 * @param maxMemoryBytes most accounted bytes held at once (see {@link CacheEngine#weigh})
 * @param policy         eviction rule
 * @param segments       lock stripes, a power of two; 0 picks a count from the limits
 * @param ticker         clock for TTL deadlines
 * @param tombstoneNanos how long a delete's tombstone is kept ({@link CacheEngine#deleteVersioned}); 0 keeps none
 *                       (a single node: nothing else holds a copy that a tombstone would have to outrank)
 * @param compressionThresholdBytes values longer than this are stored compressed when that saves enough
 *                       ({@link ValueCompression}); 0 turns compression off
 */
public record CacheSettings(long maxSize, long maxMemoryBytes, EvictionPolicy policy, int segments, Ticker ticker,
                            long tombstoneNanos, int compressionThresholdBytes) {

    /** Settings without compression. */
    public CacheSettings(long maxSize, long maxMemoryBytes, EvictionPolicy policy, int segments, Ticker ticker,
                         long tombstoneNanos) {
        this(maxSize, maxMemoryBytes, policy, segments, ticker, tombstoneNanos, 0);
    }

    /** Settings without tombstones (a single node). */
    public CacheSettings(long maxSize, long maxMemoryBytes, EvictionPolicy policy, int segments, Ticker ticker) {
        this(maxSize, maxMemoryBytes, policy, segments, ticker, 0);
    }

    public CacheSettings {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be > 0, was " + maxSize);
        }
        if (maxMemoryBytes <= 0) {
            throw new IllegalArgumentException("maxMemoryBytes must be > 0, was " + maxMemoryBytes);
        }
        if (segments < 0 || Integer.bitCount(segments) > 1) {
            throw new IllegalArgumentException("segments must be 0 (auto) or a power of two, was " + segments);
        }
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(ticker, "ticker");
        if (tombstoneNanos < 0) {
            throw new IllegalArgumentException("tombstoneNanos must be >= 0, was " + tombstoneNanos);
        }
        if (compressionThresholdBytes < 0) {
            throw new IllegalArgumentException("compressionThresholdBytes must be >= 0 (0: off), was "
                                               + compressionThresholdBytes);
        }
    }

    /** These settings with deletes leaving tombstones for {@code nanos} (0: none). */
    public CacheSettings withTombstones(long nanos) {
        return new CacheSettings(maxSize, maxMemoryBytes, policy, segments, ticker, nanos, compressionThresholdBytes);
    }

    /** These settings with values longer than {@code thresholdBytes} stored compressed (0: off). */
    public CacheSettings withCompressionThreshold(int thresholdBytes) {
        return new CacheSettings(maxSize, maxMemoryBytes, policy, segments, ticker, tombstoneNanos, thresholdBytes);
    }

    /** Automatic segment count and the system clock. */
    public static CacheSettings of(long maxSize, long maxMemoryBytes, EvictionPolicy policy) {
        return new CacheSettings(maxSize, maxMemoryBytes, policy, 0, Ticker.system());
    }
}
