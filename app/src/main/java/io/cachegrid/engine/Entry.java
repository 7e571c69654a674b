package io.cachegrid.engine;

import java.util.Arrays;

/**
 * One cached key/value pair, as small as the policies allow. All fields are guarded by the owning segment's
 * locks ({@link Segment}): {@code data} and the deadline by its table lock (readers read them optimistically and
 * validate), the links and {@code state} by its policy lock. No field counts the cache's limits: the totals live
 * in one {@link Occupancy} per cache, so an entry costs nothing for them.
 *
 * <p><b>Layout.</b> The key and the value share one array, {@code data}: the key's bytes ({@link Keys}) then the
 * value's bytes. The key's length sits in the object's alignment padding ({@link #keyLength}), so the array holds
 * exactly key + value bytes and no prefix (a prefix byte would push a key + value of a multiple of 8 into one
 * more 8-byte step). Keys of 65,535 bytes or more (which the HTTP layer never sends: it allows 250 chars) store
 * {@link #LONG_KEY} there and a 4-byte big-endian length at the front of {@code data} instead.
 *
 * <p>Only what every policy needs is here: the array, the two links of an {@link EntryList} (lru order, an lfu
 * bucket, a tinylfu region) and one int of policy state (a heap index, an lfu bucket id or a tinylfu region).
 * What only some policies need lives in their own structures, keyed by that int (see each policy). An entry with a
 * TTL is an {@link ExpiringEntry}, which adds the deadline and its expiry-heap index: a disabled feature is a
 * class, not a field. The 64-bit key hash is not stored: 16 of its bits are ({@link #tag}), which is enough to
 * skip nearly every non-matching entry in a probe without touching its array, and the rest is recomputed from the
 * bytes on the rare paths that need it (table growth, deletion's backward shift, tinylfu's victim choice).
 *
 * <p>Sizes (fields 4 + 4 + 4 + 4 + 2 + 2 = 20 bytes): with compressed oops and the default 12-byte header,
 * 12 + 20 = 32 bytes exactly; with {@code -XX:+UseCompactObjectHeaders} (8-byte header), 8 + 20 = 28, padded to
 * 32. The tag and the key length therefore cost nothing in either mode: they fill what would be padding.
 */
class Entry {
    static final long NO_DEADLINE = Long.MAX_VALUE;
    static final int NOT_IN_HEAP = -1;
    /** {@link #keyLength} of a key too long for it: the real length is the first 4 bytes of {@code data}. */
    static final char LONG_KEY = 0xFFFF;
    private static final int LONG_KEY_PREFIX_BYTES = Integer.BYTES;

    /** Key bytes then value bytes (after a 4-byte length for a {@link #LONG_KEY}); never changed once stored. */
    byte[] data;
    /** Links in an {@link EntryList}. */
    Entry prev;
    Entry next;
    /** The policy's per-entry int: heap index (ttl, size), bucket id (lfu), region (tinylfu). */
    int state = NOT_IN_HEAP;
    /** Bytes of the key, or {@link #LONG_KEY}. */
    final char keyLength;
    /** Bits 32-47 of the key's hash: a probe compares it before the key bytes. */
    final short tag;

    Entry(byte[] data, int keyLength, long hash) {
        this.data = data;
        this.keyLength = keyLength >= LONG_KEY ? LONG_KEY : (char) keyLength;
        this.tag = tagOf(hash);
    }

    /** A new entry: an {@link ExpiringEntry} when there is a deadline. */
    static Entry create(byte[] data, int keyLength, long hash, long deadline) {
        return deadline == NO_DEADLINE ? new Entry(data, keyLength, hash)
                                       : new ExpiringEntry(data, keyLength, hash, deadline);
    }

    /**
     * A new data array: the key's bytes ({@link Keys#encode}), then the value's. The caller has checked that it
     * fits in an array ({@link #MAX_PAYLOAD_BYTES}).
     */
    static byte[] newData(byte[] key, byte[] value) {
        int keyLength = key.length;
        int keyOffset = keyOffset(keyLength);
        byte[] data = new byte[keyOffset + keyLength + value.length];
        if (keyOffset > 0) {
            data[0] = (byte) (keyLength >>> 24);
            data[1] = (byte) (keyLength >>> 16);
            data[2] = (byte) (keyLength >>> 8);
            data[3] = (byte) keyLength;
        }
        System.arraycopy(key, 0, data, keyOffset, keyLength);
        System.arraycopy(value, 0, data, keyOffset + keyLength, value.length);
        return data;
    }

    /** The most key + value bytes one array can hold, with room for a long key's prefix. */
    static final long MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 8 - LONG_KEY_PREFIX_BYTES;

    /** Where the value starts in the data array of a key of {@code keyLength} bytes. */
    static int valueOffset(int keyLength) {
        return keyOffset(keyLength) + keyLength;
    }

    static short tagOf(long hash) {
        return (short) (hash >>> 32);
    }

    private static int keyOffset(int keyLength) {
        return keyLength >= LONG_KEY ? LONG_KEY_PREFIX_BYTES : 0;
    }

    int keyOffset() {
        return keyLength == LONG_KEY ? LONG_KEY_PREFIX_BYTES : 0;
    }

    int keyBytes() {
        if (keyLength != LONG_KEY) {
            return keyLength;
        }
        return (data[0] & 0xFF) << 24 | (data[1] & 0xFF) << 16 | (data[2] & 0xFF) << 8 | data[3] & 0xFF;
    }

    int valueOffset() {
        return keyOffset() + keyBytes();
    }

    /** Key bytes + value bytes. */
    int payloadBytes() {
        return data.length - keyOffset();
    }

    /** The accounted memory: key + value bytes + {@link CacheEngine#ENTRY_OVERHEAD_BYTES}. */
    long weight() {
        return (long) payloadBytes() + CacheEngine.ENTRY_OVERHEAD_BYTES;
    }

    /** Whether this entry holds the key of these bytes. */
    boolean hasKey(byte[] key) {
        int offset = keyOffset();
        return Arrays.equals(key, 0, key.length, data, offset, offset + keyBytes());
    }

    /** The full hash of the key, recomputed from the bytes. */
    long hash() {
        return Keys.hash(data, keyOffset(), keyBytes());
    }

    String key() {
        return Keys.decode(data, keyOffset(), keyBytes());
    }

    /** Absolute ticker time at which the entry expires; {@link #NO_DEADLINE} if it never does. */
    long deadline() {
        return NO_DEADLINE;
    }

    final boolean hasDeadline() {
        return deadline() != NO_DEADLINE;
    }

    final boolean isExpired(long now) {
        return now >= deadline();
    }

    @Override
    public String toString() {
        return "Entry[" + key() + ", weight=" + weight() + "]";
    }
}
