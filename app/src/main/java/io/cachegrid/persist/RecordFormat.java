package io.cachegrid.persist;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Why: a log must say where each record ends and whether its bytes are the ones written, so a torn tail (a crash
 * mid-write) or a flipped bit is found and never loaded. The format, big-endian:
 *
 * <pre>
 *   u32 length     bytes of the body that follows the checksum
 *   u32 crc32c     CRC-32C (Castagnoli, hardware-assisted in the JDK) of the body
 *   body:
 *     u8  type     1 set, 2 delete (also each entry a clear or tag invalidation removed), 5 end of snapshot,
 *                  6 set of a compressed value, 7 versioned clear (its epoch in version; no key, tags or value)
 *     u64 version
 *     u64 deadline epoch milliseconds, 0 = never (sets only)
 *     u32 key length
 *     u32 tag block length
 *     key bytes, tag block bytes, value bytes (the rest of the body)
 * </pre>
 *
 * 33 bytes of framing per record: a 16-byte key with a 100-byte value takes 149 bytes. Values are written as the
 * engine stores them: a compressed one ({@code CACHEGRID_COMPRESSION_THRESHOLD_BYTES}) stays compressed, in a record
 * of type 6 that says so, and is loaded back as such ({@code CacheEngine.restore}: kept compressed, or decompressed
 * by a node that now runs without compression). A file starts with an 8-byte magic naming its kind and format
 * version ({@link #LOG_MAGIC}, {@link #SNAPSHOT_MAGIC}). Format 2 added types 6 and 7; files of format 1 (types 1,
 * 2 and 5 only, values never compressed) are still read as they are; a node of format 1 refuses files of format 2
 * at their header rather than misreading their records.
 */
public final class RecordFormat {
    public static final byte SET = 1;
    public static final byte DELETE = 2;
    // 3 and 4 are not used (an unversioned clear and a tag invalidation are logged as a delete per entry removed)
    public static final byte END = 5;
    /** A set whose value bytes are the engine's compressed form ({@code ValueCompression}); read as SET. */
    public static final byte SET_COMPRESSED = 6;
    /** A cluster's versioned clear: {@code version} is its epoch ({@code CacheEngine.clear(long)}). */
    public static final byte CLEAR = 7;
    /** The highest type a reader knows. */
    public static final byte MAX_TYPE = CLEAR;
    /** No bytes: the key, tags and value of records that have none. */
    public static final byte[] NOTHING = new byte[0];

    /** Length and checksum before each body. */
    public static final int PREFIX_BYTES = 8;
    /** The body's fixed fields before the key. */
    public static final int FIXED_BYTES = 1 + 8 + 8 + 4 + 4;
    /** The largest body a reader accepts: bigger lengths are damage (a Java array holds little more). */
    public static final int MAX_BODY_BYTES = Integer.MAX_VALUE - 64;

    public static final byte[] LOG_MAGIC = "CGLOG\0\0\2".getBytes(StandardCharsets.ISO_8859_1);
    public static final byte[] SNAPSHOT_MAGIC = "CGSNAP\0\2".getBytes(StandardCharsets.ISO_8859_1);
    /** The headers of format 1 (before compressed values and clear records), still read. */
    static final byte[] LOG_MAGIC_1 = "CGLOG\0\0\1".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] SNAPSHOT_MAGIC_1 = "CGSNAP\0\1".getBytes(StandardCharsets.ISO_8859_1);
    public static final int MAGIC_BYTES = 8;

    private RecordFormat() {
    }

    /** The type of a set record: {@link #SET_COMPRESSED} for a compressed value, else {@link #SET}. */
    public static byte setType(boolean compressed) {
        return compressed ? SET_COMPRESSED : SET;
    }

    /** Whether {@code head} is a header a reader of {@code magic}'s kind accepts: this format's or format 1's. */
    static boolean accepts(byte[] head, byte[] magic) {
        byte[] older = magic == LOG_MAGIC ? LOG_MAGIC_1 : magic == SNAPSHOT_MAGIC ? SNAPSHOT_MAGIC_1 : null;
        return Arrays.equals(head, magic) || older != null && Arrays.equals(head, older);
    }

    /** The bytes a record of {@code payload} key + tag + value bytes takes. */
    public static long size(int payload) {
        return (long) PREFIX_BYTES + FIXED_BYTES + payload;
    }

    /**
     * Writes one record into {@code into} at {@code at} (the caller made room for {@link #size}); the payload is
     * {@code source[from, to)}: {@code keyLength} key bytes, {@code tagLength} tag bytes, then the value. Returns the
     * offset after it.
     */
    public static int encode(byte[] into, int at, byte type, long version, long deadlineMillis, byte[] source,
                             int from, int to, int keyLength, int tagLength) {
        int payload = to - from;
        int body = FIXED_BYTES + payload;
        putInt(into, at, body);
        int b = at + PREFIX_BYTES;
        into[b] = type;
        putLong(into, b + 1, version);
        putLong(into, b + 9, deadlineMillis);
        putInt(into, b + 17, keyLength);
        putInt(into, b + 21, tagLength);
        System.arraycopy(source, from, into, b + FIXED_BYTES, payload);
        CRC32C crc = new CRC32C();
        crc.update(into, b, body);
        putInt(into, at + 4, (int) crc.getValue());
        return b + body;
    }

    /** One record as a new array (tests, the snapshot writer's small records). */
    public static byte[] encode(byte type, long version, long deadlineMillis, byte[] key, byte[] tagBlock,
                                byte[] value) {
        byte[] payload = new byte[key.length + tagBlock.length + value.length];
        System.arraycopy(key, 0, payload, 0, key.length);
        System.arraycopy(tagBlock, 0, payload, key.length, tagBlock.length);
        System.arraycopy(value, 0, payload, key.length + tagBlock.length, value.length);
        byte[] record = new byte[(int) size(payload.length)];
        encode(record, 0, type, version, deadlineMillis, payload, 0, payload.length, key.length, tagBlock.length);
        return record;
    }

    /** The checksum a body must have. */
    static int checksum(byte[] body, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(body, from, length);
        return (int) crc.getValue();
    }

    /**
     * Decodes a body whose checksum matched; null when its fields contradict its length or its type is unknown
     * (damage the checksum cannot see is impossible, but a bug in a writer is not).
     */
    static LogRecord decode(byte[] body) {
        if (body.length < FIXED_BYTES) {
            return null;
        }
        byte type = body[0];
        if (type != SET && type != DELETE && type != END && type != SET_COMPRESSED && type != CLEAR) {
            return null;
        }
        long version = getLong(body, 1);
        long deadline = getLong(body, 9);
        int keyLength = getInt(body, 17);
        int tagLength = getInt(body, 21);
        long payload = body.length - FIXED_BYTES;
        if (keyLength < 0 || tagLength < 0 || (long) keyLength + tagLength > payload) {
            return null;
        }
        int keyAt = FIXED_BYTES;
        int tagAt = keyAt + keyLength;
        int valueAt = tagAt + tagLength;
        return new LogRecord(type == SET_COMPRESSED ? SET : type, version, deadline,
                Arrays.copyOfRange(body, keyAt, tagAt), Arrays.copyOfRange(body, tagAt, valueAt),
                Arrays.copyOfRange(body, valueAt, body.length), type == SET_COMPRESSED);
    }

    static void putInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }

    static void putLong(byte[] into, int at, long value) {
        putInt(into, at, (int) (value >>> 32));
        putInt(into, at + 4, (int) value);
    }

    static int getInt(byte[] from, int at) {
        return (from[at] & 0xFF) << 24 | (from[at + 1] & 0xFF) << 16 | (from[at + 2] & 0xFF) << 8 | from[at + 3] & 0xFF;
    }

    static long getLong(byte[] from, int at) {
        return (long) getInt(from, at) << 32 | getInt(from, at + 4) & 0xFFFFFFFFL;
    }
}
