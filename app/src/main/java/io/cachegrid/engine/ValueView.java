package io.cachegrid.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A stored value, read without copying it: a range of the entry's data array (key bytes, tags, then value bytes;
 * see {@link Entry}). The engine never writes into a data array once it is stored (a put makes a new one), so the range
 * stays exactly the value that was read, even if the key is replaced, deleted or evicted meanwhile; the array then
 * lives on only as long as this view is referenced. Holders must never write into {@link #array()}: it is the
 * cache's own copy.
 *
 * <p>A value stored compressed ({@link ValueCompression}) is decompressed only when its bytes are first asked for
 * ({@link #array()}, {@link #writeTo}, {@link #toByteArray}), into a fresh array of the same layout that this view
 * then keeps; its {@link #length()} is known before (the compressed form's header). So an answer can reserve its
 * size in the response budget before the decompressed bytes exist ({@link #compressed()} tells the writer to ask
 * late), and a compressed value that is never written out is never decompressed.
 */
public final class ValueView {

    /** The entry's data array as stored; its value part is compressed when {@link #compressed} is. */
    private final byte[] stored;
    private final int offset;
    private final int length;
    private final boolean compressed;
    /** The data array with the value decompressed, once asked for; null before (and always when not compressed). */
    private volatile byte[] expanded;
    /** The version of the write that stored it, read with it ({@link Stored}); 0 when unknown. */
    final long version;
    /** Its entry's deadline when read ({@link Entry#deadline}). */
    final long deadline;

    ValueView(byte[] array, int offset) {
        this(array, offset, 0, Entry.NO_DEADLINE);
    }

    ValueView(byte[] array, int offset, long version, long deadline) {
        this(array, offset, false, version, deadline);
    }

    /** A view of {@code array}'s value part from {@code offset} on, compressed or not. */
    ValueView(byte[] array, int offset, boolean compressed, long version, long deadline) {
        this.stored = array;
        this.offset = offset;
        this.compressed = compressed;
        this.length = compressed ? ValueCompression.originalLength(array, offset) : array.length - offset;
        this.version = version;
        this.deadline = deadline;
    }

    /**
     * The array holding the value; read-only by contract. For a compressed value the first call decompresses it
     * into a fresh array (kept for later calls), so ask as late as possible.
     */
    public byte[] array() {
        if (!compressed) {
            return stored;
        }
        byte[] value = expanded;
        if (value == null) {
            value = ValueCompression.expand(stored, offset);
            expanded = value;
        }
        return value;
    }

    /** Where the value starts in {@link #array()}. */
    public int offset() {
        return offset;
    }

    /** The value's length in bytes (the original length of a compressed value, known without decompressing it). */
    public int length() {
        return length;
    }

    /** Whether the value is stored compressed, so that {@link #array()} decompresses it (once). */
    public boolean compressed() {
        return compressed;
    }

    /** The entry's data array as stored, for the key and tag bytes before {@link #offset()}. */
    byte[] storedArray() {
        return stored;
    }

    /** Writes the value's bytes, straight from the stored array (decompressed first if it is compressed). */
    public void writeTo(OutputStream out) throws IOException {
        out.write(array(), offset, length);
    }

    /** A copy of the value, for callers that keep or change it. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array(), offset, offset + length);
    }
}
