package io.cachegrid.engine;

/**
 * The outcome of a conditional write ({@link CacheEngine#putIf}, {@link CacheEngine#deleteIf}).
 *
 * @param applied whether the condition held and the write (or delete) happened
 * @param version applied put: the new version; applied delete: the version deleted; refused: the key's current
 *                version, or 0 when it has no live entry
 */
public record WriteResult(boolean applied, long version) {
}
