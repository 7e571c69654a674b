package io.cachegrid.engine;

/**
 * What a node holds for one key, without its value: the version of its live entry, or of its tombstone (a delete
 * still in its grace period). What anti-entropy compares and rebalancing walks ({@link CacheEngine#scan}).
 *
 * @param key            the key
 * @param version        the live entry's version, or the delete's
 * @param tombstone      true for a tombstone (no value), false for a live entry
 * @param remainingNanos for a tombstone, nanoseconds left of its grace period; for a live entry its remaining ttl,
 *                       -1 when it has none
 */
public record KeyVersion(String key, long version, boolean tombstone, long remainingNanos) {
}
