package io.cachegrid.engine;

import java.util.Arrays;
import java.util.List;

/**
 * One cached key/value pair, as small as the policies allow. All fields are guarded by the owning segment's
 * locks ({@link Segment}): {@code data}, {@code version} and the deadline by its table lock (readers read them
 * optimistically and validate), the links and {@code state} by its policy lock. No field counts the cache's
 * limits: the totals live in one {@link Occupancy} per cache, so an entry costs nothing for them.
 *
 * <p><b>Layout.</b> The key, the entry's tags and the value share one array, {@code data}:
 * {@code [key][tag block][value]}. The tag block ({@link Tags}: a u8 count, then per tag a u8 byte length and
 * its UTF-8 bytes) is there only when the entry has tags, which the {@link #TAGGED} bit of {@link #keyLength}
 * says, so an untagged entry pays nothing for the feature. The key's length sits in 12 other bits of that char
 * (two more hold tinylfu's region, see {@link #state()}), in the object's alignment padding, so the array holds
 * exactly key + tag + value bytes and no prefix (a prefix byte would push a key + value of a multiple of 8 into one more 8-byte step). Keys of {@link #LONG_KEY}
 * (4,095) bytes or more (which the HTTP layer never sends: it allows 250 chars, at most 1,000 bytes) store
 * {@link #LONG_KEY} there and a 4-byte big-endian length at the front of {@code data} instead. The flag is final:
 * a rewrite that adds or drops tags replaces the entry object (as one that adds or drops a TTL does), so a
 * reader that has the entry knows how to read any data array it ever holds.
 *
 * <p>The remaining bit of that char, {@link #COMPRESSED}, says that the value part of {@code data} is not the
 * value's bytes but its compressed form ({@link ValueCompression}: the original length, then an LZ4 block), so
 * compression ({@code CACHEGRID_COMPRESSION_THRESHOLD_BYTES}) costs no byte per entry either. It is final like
 * {@link #TAGGED}: a rewrite from a compressed value to a plain one, or back, replaces the entry object.
 *
 * <p>Only what every policy needs is here: the array, the two links of an {@link EntryList} (lru order, an lfu
 * bucket, a tinylfu region), two bits of policy state (tinylfu's region, in {@link #keyLength}) and the
 * {@link #version} (a {@link VersionClock} value, new on every write). A policy whose state is an index (a heap
 * index for ttl and size, a bucket id for lfu) gets {@link IndexedEntry} objects, which add that int. What only
 * some policies need lives in their own structures, keyed by that int (see each policy). An entry with a TTL is
 * an {@link ExpiringEntry}, which adds the deadline and its expiry-heap index: a disabled feature is a class, not
 * a field. The 64-bit key hash is not stored: 16 of its bits are ({@link #tag}, the hash tag, not to be confused
 * with the user's tags in the data array), which is enough to skip nearly every non-matching entry in a probe without touching its array,
 * and the rest is recomputed from the bytes on the rare paths that need it (table growth, deletion's backward
 * shift, tinylfu's victim choice).
 *
 * <p>Sizes (fields 4 + 4 + 4 + 8 + 2 + 2 = 24 bytes): with compressed oops and the default 12-byte header,
 * 12 + 24 = 36, padded to 40 (an {@link IndexedEntry}'s int fills that padding); with
 * {@code -XX:+UseCompactObjectHeaders} (8-byte header), 8 + 24 = 32 exactly, and 40 for an indexed one. The
 * hash tag, the key length and tinylfu's region cost nothing; the version costs 8 bytes.
 */
class Entry {
    static final long NO_DEADLINE = Long.MAX_VALUE;
    static final int NOT_IN_HEAP = -1;
    /** The bits of {@link #keyLength} that hold the key's length (or {@link #LONG_KEY}). */
    static final char LENGTH_MASK = 0x0FFF;
    /** The bits of {@link #keyLength} that hold a policy's small state ({@link #state()} of a plain entry). */
    static final char SMALL_STATE_MASK = 0x3000;
    private static final int SMALL_STATE_SHIFT = 12;
    /** The largest {@link #state()} a plain (not {@link #indexed()}) entry can hold. */
    static final int MAX_SMALL_STATE = SMALL_STATE_MASK >>> SMALL_STATE_SHIFT;
    /** {@link #keyLength} of a key too long for it: the real length is the first 4 bytes of {@code data}. */
    static final char LONG_KEY = LENGTH_MASK;
    /** The bit of {@link #keyLength} saying that a tag block follows the key in {@code data}. */
    static final char TAGGED = 0x8000;
    /** The bit of {@link #keyLength} saying that the value part of {@code data} is compressed. */
    static final char COMPRESSED = 0x4000;
    private static final int LONG_KEY_PREFIX_BYTES = Integer.BYTES;

    /** Key bytes, tag block (if {@link #TAGGED}), value bytes; never changed once stored. */
    byte[] data;
    /** Links in an {@link EntryList}. */
    Entry prev;
    Entry next;
    /** The version of the value in {@code data}: set with it, under the table lock ({@link VersionClock}). */
    long version;
    /**
     * Bytes of the key, or {@link #LONG_KEY}, in the low 12 bits; {@link #TAGGED} when {@code data} has tags,
     * {@link #COMPRESSED} when its value part is compressed (those 14 bits never change); the
     * {@link #SMALL_STATE_MASK} bits are the policy's small state (tinylfu's region), changed under the policy
     * lock. A reader that holds only the table lock (or none) must mask the bits it reads.
     */
    char keyLength;
    /** Bits 32-47 of the key's hash (the hash tag): a probe compares it before the key bytes. */
    final short tag;

    Entry(byte[] data, int keyLength, long hash) {
        this(data, keyLength, false, hash);
    }

    Entry(byte[] data, int keyLength, boolean tagged, long hash) {
        this(data, keyLength, tagged, false, hash);
    }

    Entry(byte[] data, int keyLength, boolean tagged, boolean compressed, long hash) {
        this.data = data;
        this.keyLength = (char) ((keyLength >= LONG_KEY ? LONG_KEY : keyLength) | (tagged ? TAGGED : 0)
                                 | (compressed ? COMPRESSED : 0));
        this.tag = tagOf(hash);
    }

    /** A new untagged entry: an {@link ExpiringEntry} when there is a deadline. */
    static Entry create(byte[] data, int keyLength, long hash, long deadline) {
        return create(data, keyLength, false, hash, deadline);
    }

    /** A new entry: an {@link ExpiringEntry} when there is a deadline. */
    static Entry create(byte[] data, int keyLength, boolean tagged, long hash, long deadline) {
        return create(data, keyLength, tagged, false, hash, deadline);
    }

    /** A new entry whose value part may be compressed: an {@link ExpiringEntry} when there is a deadline. */
    static Entry create(byte[] data, int keyLength, boolean tagged, boolean compressed, long hash, long deadline) {
        return create(false, data, keyLength, tagged, compressed, hash, deadline);
    }

    /**
     * A new entry; {@code indexed} for a policy whose {@link #state()} is an index ({@link
     * ReplacementPolicy#indexesEntries}): such an entry carries a 4-byte int for it, a plain one only 2 bits.
     */
    static Entry create(boolean indexed, byte[] data, int keyLength, boolean tagged, boolean compressed, long hash,
                        long deadline) {
        if (deadline == NO_DEADLINE) {
            return indexed ? new IndexedEntry(data, keyLength, tagged, compressed, hash)
                           : new Entry(data, keyLength, tagged, compressed, hash);
        }
        return indexed ? new IndexedExpiringEntry(data, keyLength, tagged, compressed, hash, deadline)
                       : new ExpiringEntry(data, keyLength, tagged, compressed, hash, deadline);
    }

    /**
     * The policy's per-entry int: tinylfu's region (0..{@link #MAX_SMALL_STATE}, in two bits of
     * {@link #keyLength}); for an {@link #indexed} entry a heap index (ttl, size) or a bucket id (lfu). Guarded by
     * the policy lock.
     */
    int state() {
        return (keyLength & SMALL_STATE_MASK) >>> SMALL_STATE_SHIFT;
    }

    /** Sets {@link #state()}; a plain entry takes only 0..{@link #MAX_SMALL_STATE}. */
    void state(int state) {
        if (state < 0 || state > MAX_SMALL_STATE) {
            throw new IllegalStateException("state " + state + " needs an indexed entry: " + this);
        }
        keyLength = (char) (keyLength & ~SMALL_STATE_MASK | state << SMALL_STATE_SHIFT);
    }

    /** Whether {@link #state()} is a full int (an entry made for an indexing policy). */
    boolean indexed() {
        return false;
    }

    /**
     * A new data array: the key's bytes ({@link Keys#encode}), then the value's. The caller has checked that it
     * fits in an array ({@link #MAX_PAYLOAD_BYTES}).
     */
    static byte[] newData(byte[] key, byte[] value) {
        return newData(key, null, value, 0, value.length);
    }

    /**
     * A new data array: the key's bytes, the tag block ({@link Tags#encode}; null for none), then
     * {@code length} bytes of {@code value} from {@code from}.
     */
    static byte[] newData(byte[] key, byte[] tagBlock, byte[] value, int from, int length) {
        int keyLength = key.length;
        int keyOffset = keyOffset(keyLength);
        int tagBytes = tagBlock == null ? 0 : tagBlock.length;
        byte[] data = new byte[keyOffset + keyLength + tagBytes + length];
        if (keyOffset > 0) {
            data[0] = (byte) (keyLength >>> 24);
            data[1] = (byte) (keyLength >>> 16);
            data[2] = (byte) (keyLength >>> 8);
            data[3] = (byte) keyLength;
        }
        System.arraycopy(key, 0, data, keyOffset, keyLength);
        if (tagBytes > 0) {
            System.arraycopy(tagBlock, 0, data, keyOffset + keyLength, tagBytes);
        }
        System.arraycopy(value, from, data, keyOffset + keyLength + tagBytes, length);
        return data;
    }

    /** A new data array with this entry's key and tag block and {@code value}. */
    byte[] withValue(byte[] value) {
        int valueOffset = valueOffset();
        byte[] fresh = Arrays.copyOf(data, valueOffset + value.length);
        System.arraycopy(value, 0, fresh, valueOffset, value.length);
        return fresh;
    }

    /** The most key + tag + value bytes one array can hold, with room for a long key's prefix. */
    static final long MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 8 - LONG_KEY_PREFIX_BYTES;

    /** Where the tag block (or, untagged, the value) starts in the data array of a key of {@code keyLength} bytes. */
    static int keyEnd(int keyLength) {
        return keyOffset(keyLength) + keyLength;
    }

    /** Where the value starts in a data array of a key of {@code keyLength} bytes. */
    static int valueOffset(byte[] data, int keyLength, boolean tagged) {
        int keyEnd = keyEnd(keyLength);
        return tagged ? keyEnd + Tags.blockLength(data, keyEnd) : keyEnd;
    }

    /**
     * The accounted weight of an entry of this data array: key + tag block + value bytes,
     * {@link CacheEngine#ENTRY_OVERHEAD_BYTES}, {@link CacheEngine#EXPIRY_OVERHEAD_BYTES} with a deadline, and
     * {@link TagIndex#PAIR_BYTES} per tag (its place in the segment's tag index).
     */
    static long weigh(byte[] data, int keyLength, boolean tagged, boolean hasDeadline) {
        int keyOffset = keyOffset(keyLength);
        long weight = (long) data.length - keyOffset + CacheEngine.ENTRY_OVERHEAD_BYTES;
        if (hasDeadline) {
            weight += CacheEngine.EXPIRY_OVERHEAD_BYTES;
        }
        if (tagged) {
            weight += (long) Tags.count(data, keyOffset + keyLength) * TagIndex.PAIR_BYTES;
        }
        return weight;
    }

    static short tagOf(long hash) {
        return (short) (hash >>> 32);
    }

    private static int keyOffset(int keyLength) {
        return keyLength >= LONG_KEY ? LONG_KEY_PREFIX_BYTES : 0;
    }

    final boolean tagged() {
        return (keyLength & TAGGED) != 0;
    }

    /** Whether the value part of {@code data} is compressed ({@link ValueCompression}). */
    final boolean compressed() {
        return (keyLength & COMPRESSED) != 0;
    }

    /** The bytes the value takes in {@code data}: compressed, its compressed form's, else its own. */
    int storedValueBytes() {
        return data.length - valueOffset();
    }

    /** The value's own length: its original length when compressed. */
    int valueBytes() {
        int offset = valueOffset();
        return compressed() ? ValueCompression.originalLength(data, offset) : data.length - offset;
    }

    int keyOffset() {
        return (keyLength & LENGTH_MASK) == LONG_KEY ? LONG_KEY_PREFIX_BYTES : 0;
    }

    int keyBytes() {
        int length = keyLength & LENGTH_MASK;
        if (length != LONG_KEY) {
            return length;
        }
        return (data[0] & 0xFF) << 24 | (data[1] & 0xFF) << 16 | (data[2] & 0xFF) << 8 | data[3] & 0xFF;
    }

    /** Where the tag block (or, untagged, the value) starts in {@code data}. */
    int keyEnd() {
        return keyOffset() + keyBytes();
    }

    int valueOffset() {
        int keyEnd = keyEnd();
        return tagged() ? keyEnd + Tags.blockLength(data, keyEnd) : keyEnd;
    }

    /** The entry's tags, in stored order; empty when it has none. */
    List<String> tags() {
        return tagged() ? Tags.decode(data, keyEnd()) : List.of();
    }

    /** How many tags the entry carries. */
    int tagCount() {
        return tagged() ? Tags.count(data, keyEnd()) : 0;
    }

    /** Key + tag block + value bytes. */
    int payloadBytes() {
        return data.length - keyOffset();
    }

    /**
     * The accounted memory: key + tag + value bytes + {@link CacheEngine#ENTRY_OVERHEAD_BYTES} +
     * {@link TagIndex#PAIR_BYTES} per tag.
     */
    long weight() {
        long weight = (long) payloadBytes() + CacheEngine.ENTRY_OVERHEAD_BYTES;
        return tagged() ? weight + (long) tagCount() * TagIndex.PAIR_BYTES : weight;
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
