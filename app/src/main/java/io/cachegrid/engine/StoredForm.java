package io.cachegrid.engine;

/**
 * A live value as the engine holds it, for code that must keep it as it is (the persistence log): the stored
 * bytes, compressed ({@link ValueCompression}: header and LZ4 block) or not, and the version of its write. The
 * array is the cache's own and never changes once stored: read {@code [offset, offset + length)}, never write.
 * {@link CacheEngine#putStoredForm} stores such bytes back as they are (a log being replayed).
 *
 * @param array      the entry's data array
 * @param offset     where the stored value starts in it
 * @param length     the stored value's bytes
 * @param compressed whether they are the compressed form ({@link ValueCompression#decompress} gives the value)
 * @param version    the version of the write that stored it
 */
public record StoredForm(byte[] array, int offset, int length, boolean compressed, long version) {
}
