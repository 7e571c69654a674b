package io.cachegrid.engine;

/**
 * An entry with a TTL: the deadline and the entry's position in its segment's expiry heap live only here, so
 * entries without a TTL do not pay for them. Sizes: 32 bytes of {@link Entry} + 8 + 4 = 44, padded to 48, with
 * 12-byte headers; 28 + 4 + 8 = 40 with compact object headers (the int fills the entry's padding).
 */
final class ExpiringEntry extends Entry {
    long deadline;
    /** Position in the segment's expiry heap. */
    int expiryIndex = NOT_IN_HEAP;

    ExpiringEntry(byte[] data, int keyLength, long hash, long deadline) {
        super(data, keyLength, hash);
        this.deadline = deadline;
    }

    @Override
    long weight() {
        return super.weight() + CacheEngine.EXPIRY_OVERHEAD_BYTES;
    }

    @Override
    long deadline() {
        return deadline;
    }
}
