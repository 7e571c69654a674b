package io.cachegrid.persist;

import java.util.function.LongSupplier;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.EntryTooLargeException;
import io.cachegrid.engine.Stored;

/**
 * Why: a start rebuilds the cache by applying the snapshot's and the log's records in order through the engine's
 * normal write path, so the item and memory limits and the eviction policy act exactly as they do on live writes
 * (a directory written with a larger limit loads into a smaller one within it). A set keeps its version
 * ({@link CacheEngine#restore}: only over an older entry, so records that a snapshot already holds change nothing); a
 * set whose deadline passed while the node was down acts as its own expiry (the key's older value does not come
 * back); a delete (also one entry of a clear or tag invalidation) is applied as recorded ({@link ChangeRecorder}); a
 * versioned clear is applied as the same clear (its epoch restored, so copies older than it stay refused). A value
 * goes back in the form it was logged in: a compressed one as compressed (decompressed by a node now running
 * without compression), a plain one through the put path (compressed by a node now running with it).
 */
final class RecordApplier {

    private static final System.Logger LOG = System.getLogger(RecordApplier.class.getName());

    private final CacheEngine engine;
    private final LongSupplier wallMillis;
    private long applied;
    private long expired;
    private long tooLarge;

    RecordApplier(CacheEngine engine, LongSupplier wallMillis) {
        this.engine = engine;
        this.wallMillis = wallMillis;
    }

    void apply(LogRecord record) {
        applied++;
        switch (record.type()) {
            case RecordFormat.SET -> set(record);
            case RecordFormat.DELETE -> delete(record);
            case RecordFormat.CLEAR -> engine.clear(record.version());
            default -> applied--; // END: the snapshot's own marker
        }
    }

    private void set(LogRecord record) {
        long ttlNanos = 0;
        if (record.deadlineMillis() != 0) {
            long leftMillis = record.deadlineMillis() - wallMillis.getAsLong();
            if (leftMillis <= 0) {
                expired++;
                dropOlder(CacheEngine.keyOf(record.key()), record.version());
                return;
            }
            ttlNanos = Math.min(leftMillis, Long.MAX_VALUE / 2_000_000L) * 1_000_000L;
        }
        try {
            engine.restore(record.key(), record.tagBlock(), record.value(), record.compressed(), record.version(),
                           ttlNanos);
        } catch (EntryTooLargeException e) {
            tooLarge++;
            LOG.log(System.Logger.Level.WARNING, "An entry of " + e.weight() + " bytes does not fit this cache (one "
                    + "entry may use " + e.limit() + "); not loaded");
        } catch (IllegalArgumentException e) {
            tooLarge++;
            LOG.log(System.Logger.Level.WARNING, "A record could not be loaded: " + e.getMessage());
        }
    }

    private void delete(LogRecord record) {
        String key = CacheEngine.keyOf(record.key());
        if (record.version() != 0) {
            engine.deleteVersioned(key, record.version());
        } else {
            Stored held = engine.peekStored(key);
            if (held != null) {
                engine.discard(key, held.version());
            }
        }
    }

    /** The key's entry if older than {@code version}: what a set that expired since would have replaced. */
    private void dropOlder(String key, long version) {
        Stored held = engine.peekStored(key);
        if (held != null && Long.compareUnsigned(held.version(), version) < 0) {
            engine.discard(key, held.version());
        }
    }

    long applied() {
        return applied;
    }

    long expired() {
        return expired;
    }

    long skipped() {
        return tooLarge;
    }
}
