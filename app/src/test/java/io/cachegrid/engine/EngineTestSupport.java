package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Base of the engine tests: engines made through {@link #engine} are checked with
 * {@link CacheEngine#checkInvariants()} after every test, so every test also tests the bookkeeping.
 */
abstract class EngineTestSupport {
    static final long LARGE_MEMORY_BYTES = 1L << 30;

    final FakeTicker ticker = new FakeTicker();
    private final List<CacheEngine> engines = new ArrayList<>();

    CacheEngine engine(long maxSize, long maxMemoryBytes, EvictionPolicy policy, int segments) {
        CacheEngine engine = new CacheEngine(new CacheSettings(maxSize, maxMemoryBytes, policy, segments, ticker));
        engines.add(engine);
        return engine;
    }

    /** An engine whose deletes leave tombstones for {@code tombstoneNanos} (a clustered node's engine). */
    CacheEngine clustered(long maxSize, long maxMemoryBytes, EvictionPolicy policy, int segments, long tombstoneNanos) {
        CacheEngine engine = new CacheEngine(new CacheSettings(maxSize, maxMemoryBytes, policy, segments, ticker,
                                                               tombstoneNanos));
        engines.add(engine);
        return engine;
    }

    /** Checks {@code engine}'s invariants after the test too (an engine a test made with settings of its own). */
    CacheEngine track(CacheEngine engine) {
        engines.add(engine);
        return engine;
    }

    /** One segment and ample memory: the policy alone decides, exactly. */
    CacheEngine singleSegment(long maxSize, EvictionPolicy policy) {
        return engine(maxSize, LARGE_MEMORY_BYTES, policy, 1);
    }

    @AfterEach
    void checkEveryEngineInvariants() {
        engines.forEach(CacheEngine::checkInvariants);
    }

    /** Reads a key that must be present, {@code times} times. */
    static void read(CacheEngine cache, String key, int times) {
        for (int i = 0; i < times; i++) {
            assertNotNull(cache.get(key), key);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, UTF_8);
    }
}
