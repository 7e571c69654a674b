package io.cachegrid.persist;

/**
 * One change as read back from a log or snapshot ({@link RecordFormat}).
 *
 * @param type           {@link RecordFormat#SET}, {@link RecordFormat#DELETE} or {@link RecordFormat#END}
 * @param version        the entry's version; a delete's tombstone version (0: a plain removal); for END, the
 *                       snapshot's record count
 * @param deadlineMillis when a set entry expires, epoch milliseconds; 0 for never
 * @param key            the key's stored bytes (empty for END)
 * @param tagBlock       the entry's tag block as the engine stores it (empty: none)
 * @param value          the value's bytes as the engine stores them
 */
public record LogRecord(byte type, long version, long deadlineMillis, byte[] key, byte[] tagBlock, byte[] value) {
}
