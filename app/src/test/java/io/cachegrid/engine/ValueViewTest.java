package io.cachegrid.engine;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link CacheEngine#getView}: the stored bytes without a copy, counted like a get, stable across replacement. */
class ValueViewTest extends EngineTestSupport {
    private final CacheEngine cache = engine(10_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4);

    @Test
    void aViewIsTheStoredValueForShortAndLongKeys() throws Exception {
        for (String key : List.of("k", "é😀", "k".repeat(70_000))) {
            cache.put(key, bytes("{\"v\":\"" + key.length() + "\"}"), 0);
            ValueView view = cache.getView(key);
            assertArrayEquals(cache.get(key), view.toByteArray(), key.substring(0, 1));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            view.writeTo(out);
            assertArrayEquals(view.toByteArray(), out.toByteArray());
            assertEquals(view.length(), out.size());
        }
        cache.checkInvariants();
    }

    @Test
    void aViewIsNotACopyAndOutlivesAReplacement() {
        cache.put("k", bytes("\"one\""), 0);
        ValueView first = cache.getView("k");
        assertSame(first.array(), cache.getView("k").array()); // the same stored array, twice
        cache.put("k", bytes("\"two, longer\""), 0);
        assertEquals("\"one\"", text(first.toByteArray()));    // a put never writes into a stored array
        assertEquals("\"two, longer\"", text(cache.getView("k").toByteArray()));
        cache.delete("k");
        assertNull(cache.getView("k"));
        cache.checkInvariants();
    }

    @Test
    void aViewCountsAHitOrAMissLikeGet() {
        cache.put("k", bytes("1"), 0);
        cache.getView("k");
        cache.getView("absent");
        CacheStats stats = cache.stats();
        assertEquals(1, stats.hits());
        assertEquals(1, stats.misses());
    }
}
