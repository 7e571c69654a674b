package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reason W-TinyLFU exists: on skewed traffic polluted by scans of one-time keys, LRU lets every scan flush
 * the popular keys out, while TinyLFU's admission filter keeps them. 40% of the requests are scans of keys never
 * seen again, so even a perfect cache misses those.
 */
class HitRatioTest extends EngineTestSupport {
    private static final int CACHE_SIZE = 1_000;
    private static final int KEY_SPACE = 50_000;
    private static final int REQUESTS = 200_000;
    private static final int SCAN_EVERY = 5_000;
    private static final int SCAN_LENGTH = 2_000;
    private static final double ZIPF_EXPONENT = 0.9;
    private static final long SEED = 42;
    /** Required hit-ratio gain; measured: lru 0.211, tinylfu 0.282 (the best static choice of 1,000 keys: 0.315). */
    private static final double MIN_GAIN = 1.25;

    @Test
    void tinyLfuBeatsLruOnAScanPollutedZipfTrace() {
        double lru = hitRatio(EvictionPolicy.LRU);
        double tinyLfu = hitRatio(EvictionPolicy.TINYLFU);
        System.out.printf("scan-polluted zipf hit ratio: lru %.3f, tinylfu %.3f%n", lru, tinyLfu);
        assertTrue(tinyLfu > MIN_GAIN * lru, "tinylfu " + tinyLfu + " vs lru " + lru);
    }

    /** Replays the trace cache-aside (a miss is followed by a put) and returns the hit ratio. */
    private double hitRatio(EvictionPolicy policy) {
        CacheEngine cache = engine(CACHE_SIZE, LARGE_MEMORY_BYTES, policy, 1);
        ZipfGenerator zipf = new ZipfGenerator(KEY_SPACE, ZIPF_EXPONENT, SEED);
        byte[] value = bytes("{}");
        int scanned = 0;
        for (int i = 0; i < REQUESTS; i++) {
            String key = i % SCAN_EVERY < SCAN_LENGTH ? "scan:" + scanned++ : "hot:" + zipf.next();
            if (cache.get(key) == null) {
                cache.put(key, value, 0);
            }
        }
        return cache.stats().hitRatio();
    }
}
