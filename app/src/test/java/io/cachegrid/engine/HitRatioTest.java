package io.cachegrid.engine;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hit ratios over synthetic traces, replayed cache-aside (get; on a miss, put) by one client or by several
 * interleaved clients, as on a server, where other requests come between a client's miss and its put.
 *
 * <p>Why W-TinyLFU exists: on skewed traffic polluted by scans of one-time keys, LRU lets every scan flush the
 * popular keys out, while TinyLFU's admission filter keeps them. And why its counting must not depend on the order
 * of requests (issue 9): counting "a miss and the put right after it" once, but twice when another client's request
 * came between them, made two interleaved clients lose 11 points on the loop trace (89% to 78%).
 */
class HitRatioTest extends EngineTestSupport {
    private static final int CACHE_SIZE = 1_000;
    private static final int KEY_SPACE = 50_000;
    private static final int REQUESTS = 200_000;
    private static final int SCAN_EVERY = 5_000;
    private static final int SCAN_LENGTH = 2_000;
    private static final double ZIPF_EXPONENT = 0.9;
    private static final long SEED = 42;
    /** Required hit-ratio gain on scans; measured: lru 0.211, tinylfu 0.277-0.280 in every client mode. */
    private static final double MIN_GAIN = 1.25;
    /** How far interleaving may move tinylfu's hit ratio (0..1); the issue asks for 1-2 points. */
    private static final double MAX_INTERLEAVING_EFFECT = 0.02;
    /** Engines (each with its own sketch seed) whose hit ratios are averaged per client mode. */
    private static final int SEED_RUNS = 4;
    private static final Clients ONE = new Clients(1, false);

    /**
     * How many cache-aside clients share the cache and in which order their calls interleave on the test thread:
     * in turn, or in a seeded random order. Each takes the next request of the shared trace and puts a missed key
     * on its next turn.
     */
    record Clients(int count, boolean random) {
        @Override
        public String toString() {
            return count + (count == 1 ? " client" : random ? " clients, random order" : " clients in turn");
        }
    }

    static Stream<Clients> interleaved() {
        return Stream.of(new Clients(2, false), new Clients(4, false), new Clients(2, true), new Clients(4, true));
    }

    static Stream<Clients> oneAndInterleaved() {
        return Stream.concat(Stream.of(ONE), interleaved());
    }

    @ParameterizedTest
    @MethodSource("oneAndInterleaved")
    void tinyLfuBeatsLruOnAScanPollutedZipfTrace(Clients clients) {
        int[] trace = scanPollutedZipf();
        double lru = hitRatio(EvictionPolicy.LRU, trace, clients);
        double tinyLfu = hitRatio(EvictionPolicy.TINYLFU, trace, clients);
        System.out.printf("scan-polluted zipf, %s: lru %.3f, tinylfu %.3f%n", clients, lru, tinyLfu);
        assertTrue(tinyLfu > MIN_GAIN * lru, "tinylfu " + tinyLfu + " vs lru " + lru);
    }

    /** A cycle over 1.1× the cache: LRU hits nothing, a cache that keeps a fixed set hits ~90%. */
    @ParameterizedTest
    @MethodSource("interleaved")
    void interleavedClientsHitAsOftenAsOneOnALoop(Clients clients) {
        int[] trace = new int[2 * REQUESTS];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = i % (CACHE_SIZE * 11 / 10);
        }
        assertInterleavingChangesLittle("loop", trace, clients, 0.8);
    }

    @ParameterizedTest
    @MethodSource("interleaved")
    void interleavedClientsHitAsOftenAsOneOnZipf(Clients clients) {
        ZipfGenerator zipf = new ZipfGenerator(KEY_SPACE, ZIPF_EXPONENT, SEED);
        int[] trace = new int[REQUESTS];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = zipf.next();
        }
        assertInterleavingChangesLittle("zipf", trace, clients, 0.4);
    }

    private void assertInterleavingChangesLittle(String name, int[] trace, Clients clients, double minHitRatio) {
        // each engine draws its own sketch seed (hash-flooding defence), which moves a zipf run's hit ratio by about
        // a point on its own: compare the means of a few engines, so the test measures interleaving, not the seed
        double single = meanHitRatio(trace, ONE);
        double interleaved = meanHitRatio(trace, clients);
        System.out.printf("%s, tinylfu: 1 client %.3f, %s %.3f%n", name, single, clients, interleaved);
        assertTrue(single > minHitRatio, "one client " + single);
        assertTrue(Math.abs(interleaved - single) <= MAX_INTERLEAVING_EFFECT,
                   clients + " " + interleaved + " vs one client " + single);
    }

    private double meanHitRatio(int[] trace, Clients clients) {
        double sum = 0;
        for (int run = 0; run < SEED_RUNS; run++) {
            sum += hitRatio(EvictionPolicy.TINYLFU, trace, clients);
        }
        return sum / SEED_RUNS;
    }

    /** Zipf over the hot keys; every {@link #SCAN_EVERY} requests a scan of keys never seen again (negative ids). */
    private static int[] scanPollutedZipf() {
        ZipfGenerator zipf = new ZipfGenerator(KEY_SPACE, ZIPF_EXPONENT, SEED);
        int[] trace = new int[REQUESTS];
        int scanned = 0;
        for (int i = 0; i < trace.length; i++) {
            trace[i] = i % SCAN_EVERY < SCAN_LENGTH ? -1 - scanned++ : zipf.next();
        }
        return trace;
    }

    /**
     * Replays the trace through the clients on one segment and returns the hit ratio of the gets. A put still
     * pending at the end is dropped: no later get could hit it.
     */
    private double hitRatio(EvictionPolicy policy, int[] trace, Clients clients) {
        CacheEngine cache = engine(CACHE_SIZE, LARGE_MEMORY_BYTES, policy, 1);
        SplittableRandom order = new SplittableRandom(SEED);
        String[] pendingPut = new String[clients.count()];
        byte[] value = bytes("{}");
        int turn = 0;
        for (int next = 0; next < trace.length; ) {
            int client = clients.random() ? order.nextInt(clients.count()) : turn++ % clients.count();
            if (pendingPut[client] != null) {
                cache.put(pendingPut[client], value, 0);
                pendingPut[client] = null;
            } else {
                String key = "k" + trace[next++];
                if (cache.get(key) == null) {
                    pendingPut[client] = key;
                }
            }
        }
        return cache.stats().hitRatio();
    }
}
