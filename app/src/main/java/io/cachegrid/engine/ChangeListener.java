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
     * {@link CacheEngine#restore}) up to {@code valueOffset}, then the value as the engine stores it, to the end.
     *
     * @param deadline ticker nanoseconds at which the entry expires, {@link Long#MAX_VALUE} for never
     * @param now      the ticker's nanoseconds when it was written, to turn the deadline into wall time
     */
    void stored(byte[] data, int keyOffset, int keyLength, int valueOffset, long version, long deadline, long now);

    /**
     * The key's entry was removed (or, in an engine that keeps tombstones, a tombstone placed) by a delete, a clear
     * or a tag invalidation.
     *
     * @param key     the key's stored bytes
     * @param version the tombstone's version (a clustered delete or invalidation), or 0 for a plain removal
     */
    void deleted(byte[] key, long version);
}
