package io.cachegrid.engine;

/**
 * An entry with a TTL: the deadline and the entry's position in its segment's expiry heap live only here, so
 * entries without a TTL do not pay for them. Sizes: 36 bytes of {@link Entry} + 8 + 4 = 48 with 12-byte headers;
 * 32 + 8 + 4 = 44, padded to 48, with compact object headers ({@link IndexedExpiringEntry} adds the policy's int).
 */
class ExpiringEntry extends Entry {
    long deadline;
    /** Position in the segment's expiry heap. */
    int expiryIndex = NOT_IN_HEAP;

    ExpiringEntry(byte[] data, int keyLength, long hash, long deadline) {
        this(data, keyLength, false, hash, deadline);
    }

    ExpiringEntry(byte[] data, int keyLength, boolean tagged, long hash, long deadline) {
        this(data, keyLength, tagged, false, hash, deadline);
    }

    ExpiringEntry(byte[] data, int keyLength, boolean tagged, boolean compressed, long hash, long deadline) {
        super(data, keyLength, tagged, compressed, hash);
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
