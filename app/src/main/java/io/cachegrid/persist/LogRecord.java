package io.cachegrid.persist;

/**
 * One change as read back from a log or snapshot ({@link RecordFormat}).
 *
 * @param type           {@link RecordFormat#SET}, {@link RecordFormat#DELETE}, {@link RecordFormat#CLEAR} or
 *                       {@link RecordFormat#END}
 * @param version        the entry's version; a delete's tombstone version (0: a plain removal); a clear's epoch; for
 *                       END, the snapshot's record count
 * @param deadlineMillis when a set entry expires, epoch milliseconds; 0 for never
 * @param key            the key's stored bytes (empty for END)
 * @param tagBlock       the entry's tag block as the engine stores it (empty: none)
 * @param value          the value's bytes as the engine stores them
 * @param compressed     for a set: whether {@code value} is the engine's compressed form of the value (read from a
 *                       {@link RecordFormat#SET_COMPRESSED} record, whose {@code type} is given as
 *                       {@link RecordFormat#SET})
 */
public record LogRecord(byte type, long version, long deadlineMillis, byte[] key, byte[] tagBlock, byte[] value,
                        boolean compressed) {

    /** A record whose value (if any) is not compressed. */
    public LogRecord(byte type, long version, long deadlineMillis, byte[] key, byte[] tagBlock, byte[] value) {
        this(type, version, deadlineMillis, key, tagBlock, value, false);
    }
}
