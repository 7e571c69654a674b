package io.cachegrid.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.Ticker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Throughput of the engine's get, put and a 90/10 get/put mix against Caffeine with the same maximumSize bound.
 *
 * <p>Keys come from a precomputed array of {@link #TRACE_LENGTH} Zipf(0.99) draws over {@link #KEY_SPACE} distinct
 * keys, twice the cache's {@link #MAXIMUM_SIZE}: reads see hits and misses, writes see replacements and evictions.
 * Each thread walks the array from its own random offset, so the measured loop does one array load and the cache
 * call. The cache is filled with every key once before measurement (the most popular stay resident). The engine
 * gets a memory limit so high that only the item bound counts, as Caffeine has only that one. Threads are given on
 * the command line (-t 1, -t 2).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {
    static final int KEY_SPACE = 1 << 17;
    static final int MAXIMUM_SIZE = 1 << 16;
    static final int TRACE_LENGTH = 1 << 20;
    static final int MASK = TRACE_LENGTH - 1;
    static final double ZIPF_EXPONENT = 0.99;
    static final long SEED = 42;

    /** An engine policy name, or "caffeine". */
    @Param({"lru", "lfu", "ttl", "size", "tinylfu", "caffeine"})
    public String impl;

    String[] trace;
    /** The trace's keys as bytes, from which {@link #getNewKey} and {@link #putNewKey} build a new String per call. */
    byte[][] traceBytes;
    byte[] value;
    CacheEngine engine;
    Cache<String, byte[]> caffeine;

    @Setup(Level.Trial)
    public void setUp() {
        String[] keys = new String[KEY_SPACE];
        for (int i = 0; i < KEY_SPACE; i++) {
            keys[i] = String.format("key:%012d", i);
        }
        Zipf zipf = new Zipf(KEY_SPACE, ZIPF_EXPONENT, SEED);
        trace = new String[TRACE_LENGTH];
        for (int i = 0; i < TRACE_LENGTH; i++) {
            trace[i] = keys[Zipf.scatter(zipf.next(), KEY_SPACE)];
        }
        traceBytes = new byte[TRACE_LENGTH][];
        for (int i = 0; i < TRACE_LENGTH; i++) {
            traceBytes[i] = trace[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        value = new byte[64];
        if (impl.equals("caffeine")) {
            caffeine = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
        } else {
            engine = new CacheEngine(new CacheSettings(MAXIMUM_SIZE, 1L << 40, EvictionPolicy.parse(impl), 0,
                                                       Ticker.system()));
        }
        for (String key : keys) {
            put(key);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (engine != null) {
            engine.checkInvariants();
        }
    }

    /** Each thread's own position in the trace. */
    @State(Scope.Thread)
    public static class Cursor {
        int index;

        @Setup(Level.Trial)
        public void setUp() {
            index = java.util.concurrent.ThreadLocalRandom.current().nextInt(TRACE_LENGTH);
        }

        String next(String[] trace) {
            return trace[index++ & MASK];
        }

        /** A new String of the next key, as a server has for every request: no cached hash, no shared identity. */
        String nextNew(byte[][] traceBytes) {
            byte[] bytes = traceBytes[index++ & MASK];
            return new String(bytes, 0, bytes.length, StandardCharsets.ISO_8859_1);
        }
    }

    @Benchmark
    public Object get(Cursor cursor) {
        return read(cursor.next(trace));
    }

    @Benchmark
    public void put(Cursor cursor) {
        put(cursor.next(trace));
    }

    /**
     * {@link #get} with the key as a request has it: a String made for this call (Helidon decodes the request path
     * into a new String; the key is a substring of it). Caffeine then computes the String's hash and compares its
     * characters on a hit, as the engine always does; in {@link #get} it reuses the trace's String objects, whose
     * hash is cached and which equal the stored key by identity.
     */
    @Benchmark
    public Object getNewKey(Cursor cursor) {
        return read(cursor.nextNew(traceBytes));
    }

    /** {@link #put} with a new key String per call, as in {@link #getNewKey}. */
    @Benchmark
    public void putNewKey(Cursor cursor) {
        put(cursor.nextNew(traceBytes));
    }

    @Benchmark
    public Object mixed(Cursor cursor) {
        int at = cursor.index;
        String key = cursor.next(trace);
        if (at % 10 == 0) {
            put(key);
            return null;
        }
        return read(key);
    }

    /**
     * The engine read the server's GET uses ({@code CacheService}: {@link CacheEngine#getStored}, the value as a
     * view of the stored bytes with its version and TTL, no copy), against Caffeine's {@code getIfPresent}, which
     * hands back the stored array. {@link CacheEngine#get} would add a copy of the value that no request makes.
     */
    private Object read(String key) {
        return engine != null ? engine.getStored(key) : caffeine.getIfPresent(key);
    }

    private void put(String key) {
        if (engine != null) {
            engine.put(key, value, 0);
        } else {
            caffeine.put(key, value);
        }
    }
}
