package io.cachegrid.engine;

/**
 * Why: persistence (issue 12) must see every change the engine applies, in the order it applied them to each key,
 * without the engine knowing anything about files. The engine calls one listener ({@link CacheEngine#listen}) under
 * the key's segment lock, right after a change is applied, so the calls for one key come in the order the changes
 * happened; with no listener the cost is one null check per write.
 *
 * <p>What is reported: every applied set (put, conditional put, replica copy, increment) with the entry's stored
 * bytes, version and deadline; every removal by a user or a member (delete, versioned delete, a handed-over copy
 * dropped), and every entry a clear or a tag invalidation removed, each as a delete of its own, in the same hold
 * of the lock (so a write racing a clear is reported before or after the delete of its key exactly as it happened;
 * one record for the whole clear could not say which racing writes it covered). Expiry and eviction are not
 * reported: a replay applies the limits and deadlines again. Calls hold a segment lock: an implementation must be
 * quick, must not call back into the engine, and must not throw.
 */
public interface ChangeListener {

    /**
     * A write was applied. {@code data} is the entry's array, never changed after this call: the key's
     * {@code keyLength} bytes from {@code keyOffset}, the tag block (the engine's own format, for
     * {@link CacheEngine#restore}) up to {@code valueOffset}, then the value as the engine stores it, to the end:
     * its compressed form ({@link ValueCompression}: what {@link ValueCompression#decompress} turns back into the
     * value) when {@code compressed}, else the value's own bytes. A listener that keeps the bytes must keep the flag
     * with them ({@link CacheEngine#restore} takes both back).
     *
     * @param compressed whether the value part is the compressed form (only in an engine with a compression
     *                   threshold, for values above it that compression shrank enough)
     * @param deadline   ticker nanoseconds at which the entry expires, {@link Long#MAX_VALUE} for never
     * @param now        the ticker's nanoseconds when it was written, to turn the deadline into wall time
     */
    void stored(byte[] data, int keyOffset, int keyLength, int valueOffset, boolean compressed, long version,
                long deadline, long now);

    /**
     * The key's entry was removed (or, in an engine that keeps tombstones, a tombstone placed) by a delete, a clear
     * or a tag invalidation.
     *
     * @param key     the key's stored bytes
     * @param version the tombstone's version (a clustered delete or invalidation), or 0 for a plain removal
     */
    void deleted(byte[] key, long version);

    /**
     * A cluster's versioned clear ({@link CacheEngine#clear(long)}) as of {@code epoch}: every entry older than it is
     * removed and, from then on, every copy at that version or older refused. Called once per clear, after the
     * epoch is raised and before any segment is cleared, without a segment lock; the entries it removes are not
     * reported one by one: applying the same {@code clear(epoch)} at the same place in the order of changes removes
     * the same ones (versions, unlike the order in which segments are passed, are the same on a replay: a write
     * that raced the clear is newer than the epoch exactly when it survived it). {@link CacheEngine#forEachEntry}
     * reports the engine's epoch this way first (when it is not 0), so a snapshot holds it too.
     */
    void cleared(long epoch);
}
