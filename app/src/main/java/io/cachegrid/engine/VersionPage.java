package io.cachegrid.engine;

import java.util.List;

/**
 * One page of {@link CacheEngine#scan}: at most the asked number of keys (and key bytes), and the cursor at which
 * the next page starts; {@link #DONE} when the walk is over.
 *
 * @param items  the keys of this page with their versions, live entries and tombstones
 * @param cursor where to continue, or {@link #DONE}
 */
public record VersionPage(List<KeyVersion> items, long cursor) {

    /** The cursor of the last page: nothing follows. */
    public static final long DONE = -1;

    /** The cursor of the first page. */
    public static final long START = 0;

    public VersionPage {
        items = List.copyOf(items);
    }

    public boolean done() {
        return cursor == DONE;
    }
}
