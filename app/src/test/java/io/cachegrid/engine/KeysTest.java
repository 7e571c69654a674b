package io.cachegrid.engine;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysTest extends EngineTestSupport {
    private final CacheEngine cache = engine(1000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4);

    @Test
    void listsLiveKeysContainingTheSubstringUpToTheLimitWithTheTotal() {
        for (int i = 0; i < 5; i++) {
            cache.put("user:" + i, bytes("{}"), 0);
        }
        cache.put("order:1", bytes("{}"), 0);
        cache.put("user:expiring", bytes("{}"), TimeUnit.SECONDS.toNanos(1));
        ticker.advance(1, TimeUnit.SECONDS);

        KeyPage page = cache.keys("user:", 3);
        assertEquals(3, page.keys().size());
        assertEquals(5, page.totalFound());
        assertTrue(page.keys().stream().allMatch(key -> key.startsWith("user:")));
        assertEquals(List.of("order:1"), cache.keys("der", 10).keys());
        assertEquals(6, cache.keys("", 100).totalFound());
        assertEquals(6, cache.keys("", 100).keys().size());
        assertEquals(new KeyPage(List.of(), 5), cache.keys("user:", 0));
        assertEquals(new KeyPage(List.of(), 0), cache.keys("nothing", 10));
    }

    @Test
    void listingKeysCountsNothingAndTouchesNoPolicy() {
        cache.put("a", bytes("1"), 0);
        cache.keys("", 10);
        CacheStats stats = cache.stats();
        assertEquals(0, stats.hits() + stats.misses());
    }
}
