package io.cachegrid.engine;

/**
 * Thrown by a put whose entry would weigh more than the whole memory budget ({@link CacheEngine#maxEntryWeight()});
 * nothing is stored.
 */
public final class EntryTooLargeException extends RuntimeException {
    private final long weight;
    private final long limit;

    public EntryTooLargeException(long weight, long limit) {
        super("entry weighs " + weight + " bytes, more than the " + limit + " bytes one entry may use");
        this.weight = weight;
        this.limit = limit;
    }

    public long weight() {
        return weight;
    }

    public long limit() {
        return limit;
    }
}
