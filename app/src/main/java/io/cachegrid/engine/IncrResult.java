package io.cachegrid.engine;

/**
 * The outcome of {@link CacheEngine#increment}: the new value and its version, or why nothing changed.
 */
public sealed interface IncrResult {
    IncrResult NOT_AN_INTEGER = new NotAnInteger();
    IncrResult OVERFLOW = new Overflow();

    /** The entry now holds {@code value} (as JSON integer text) at {@code version}. */
    record Incremented(long value, long version) implements IncrResult {
    }

    /** The stored value is not JSON integer text within the 64-bit range; the entry is unchanged. */
    record NotAnInteger() implements IncrResult {
    }

    /** The result would leave the 64-bit range; the entry is unchanged. */
    record Overflow() implements IncrResult {
    }
}
