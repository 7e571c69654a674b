package io.cachegrid.engine;

/**
 * Why: a value stored compressed ({@link ValueCompression}) must read like any other, but decompressing it costs a
 * fresh array of its full size, which should be paid only when its bytes are really needed: when the answer holding
 * it is written, inside the response budget, and not at all for a read that only asks whether it exists or how long
 * it is. So this view keeps the stored (compressed) data array, knows the value's length from the compressed form's
 * header, and decompresses on the first {@link #array()} into an array of the same layout (key and tag bytes, then
 * the value), which it keeps for later calls. Made only by an engine that compresses.
 */
final class CompressedValueView extends ValueView {
    /** The data array with the value decompressed, once asked for; volatile so a view shared by threads is safe. */
    private volatile byte[] expanded;

    CompressedValueView(byte[] data, int offset, long version, long deadline) {
        super(data, offset, ValueCompression.originalLength(data, offset), version, deadline);
    }

    /** The decompressed value's array: made on the first call (a decompression), the same one afterwards. */
    @Override
    public byte[] array() {
        byte[] value = expanded;
        if (value == null) {
            value = ValueCompression.expand(storedArray(), offset());
            expanded = value;
        }
        return value;
    }

    @Override
    public boolean compressed() {
        return true;
    }
}
