package io.cachegrid.engine;

import java.util.List;

/**
 * A live entry as read at one moment: its value (the stored bytes, not a copy), version, remaining time to live
 * and tags, all of the same write.
 *
 * @param value             the value, a read-only view of the stored bytes
 * @param version           the version of the write that stored it ({@link VersionClock})
 * @param ttlRemainingNanos nanoseconds left to live; -1 when it has no TTL
 * @param tags              its tags in the order written; empty when none
 */
public record Stored(ValueView value, long version, long ttlRemainingNanos, List<String> tags) {
    public Stored {
        tags = List.copyOf(tags);
    }
}
