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
 * <p>A value stored compressed is read through the one subclass, {@link CompressedValueView}, which decompresses
 * it only when its bytes are first asked for. Its {@link #length()} is known before, so an answer can reserve its
 * size in the response budget before the decompressed bytes exist ({@link #compressed()} tells the writer to ask
 * late). An engine that does not compress never makes one: its reads stay as small and monomorphic as before.
 */
public sealed class ValueView permits CompressedValueView {

    private final byte[] array;
    private final int offset;
    private final int length;
    /** The version of the write that stored it, read with it ({@link Stored}); 0 when unknown. */
    final long version;
    /** Its entry's deadline when read ({@link Entry#deadline}). */
    final long deadline;

    ValueView(byte[] array, int offset) {
        this(array, offset, 0, Entry.NO_DEADLINE);
    }

    ValueView(byte[] array, int offset, long version, long deadline) {
        this(array, offset, array.length - offset, version, deadline);
    }

    ValueView(byte[] array, int offset, int length, long version, long deadline) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.version = version;
        this.deadline = deadline;
    }

    /** The array holding the value; read-only by contract. */
    public byte[] array() {
        return array;
    }

    /** Where the value starts in {@link #array()}. */
    public int offset() {
        return offset;
    }

    /** The value's length in bytes. */
    public int length() {
        return length;
    }

    /** Whether the value is stored compressed, so that {@link #array()} decompresses it (once). */
    public boolean compressed() {
        return false;
    }

    /** The entry's data array as stored, for the key and tag bytes before {@link #offset()}. */
    final byte[] storedArray() {
        return array;
    }

    /** Writes the value's bytes, straight from the stored array. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(array(), offset, length);
    }

    /** A copy of the value, for callers that keep or change it. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array(), offset, offset + length);
    }
}
