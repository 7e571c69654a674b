package io.cachegrid.engine;

/**
 * What one bounded expiry sweep did ({@link CacheEngine#expireDue()}).
 *
 * @param removed expired entries removed
 * @param done    true if nothing was left due when it ended; false if it stopped on its time budget, so the
 *                caller should sweep again soon
 */
public record ExpirySweep(int removed, boolean done) {
}
