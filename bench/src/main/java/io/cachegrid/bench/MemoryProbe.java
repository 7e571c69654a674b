package io.cachegrid.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.EvictionPolicy;

/**
 * Retained heap per entry: loads N entries of 16-character (Latin-1, so 16-byte) keys and 64-byte values into one
 * store and divides the growth of the heap used after full GCs by N. Subtracting the 80 payload bytes leaves the
 * per-entry overhead. Run one store per JVM, with a stop-the-world collector (e.g. -XX:+UseSerialGC) and a heap
 * large enough never to be the constraint, so that "used after System.gc()" is the live set.
 *
 * <p>Usage: {@code MemoryProbe <store> [entries]} with store one of the engine policies (lru, lfu, ttl, size,
 * tinylfu), caffeine, or hashmap (a plain HashMap<String, byte[]>, the floor). Prints one machine-readable line:
 * {@code store entries bytesPerEntry overheadPerEntry accountedBytes measuredBytes}.
 */
public final class MemoryProbe {
    static final int KEY_CHARS = 16;
    static final int VALUE_BYTES = 64;

    public static void main(String[] args) {
        String store = args.length > 0 ? args[0] : "lru";
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;

        Object holder;
        CacheEngine engine = null;
        Cache<String, byte[]> caffeine = null;
        Map<String, byte[]> map = null;
        switch (store) {
            case "caffeine" -> holder = caffeine = Caffeine.newBuilder().maximumSize(entries).build();
            case "hashmap" -> holder = map = new HashMap<>();
            // max_size is the whole cache's: exactly `entries` fit
            default -> holder = engine = new CacheEngine(CacheSettings.of(entries, 1L << 40,
                                                                          EvictionPolicy.parse(store)));
        }
        long before = usedAfterGc();
        for (int i = 0; i < entries; i++) {
            String key = String.format("key:%012d", i);
            byte[] value = new byte[VALUE_BYTES];
            value[0] = (byte) i;
            if (engine != null) {
                engine.put(key, value, 0);
            } else if (caffeine != null) {
                caffeine.put(key, value);
            } else {
                map.put(key, value);
            }
        }
        if (caffeine != null) {
            caffeine.cleanUp();
        }
        long after = usedAfterGc();
        long size = engine != null ? engine.size() : caffeine != null ? caffeine.estimatedSize() : map.size();
        if (size != entries) {
            throw new IllegalStateException(store + " holds " + size + " of " + entries + " entries");
        }
        double perEntry = (double) (after - before) / entries;
        long accounted = engine != null ? engine.memoryBytes() : -1;
        System.out.printf(Locale.ROOT, "RESULT %s %d %.1f %.1f %d %d%n", store, entries, perEntry,
                          perEntry - KEY_CHARS - VALUE_BYTES, accounted, after - before);
        if (holder.hashCode() == 42) {
            System.out.print(""); // keeps the store reachable until after the last measurement
        }
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
