package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tags under concurrency: writers with tags, conditional writes, increments, deletes, invalidations, evictions
 * (both limits bind), expiry (a ticking fake clock and sweeps) all racing. Afterwards the invariant checker
 * (the base class; it rebuilds every segment's tag index from its table) and an outside check (every live entry
 * carrying a tag is listed under it and vice versa) must pass.
 */
class TagConcurrencyTest extends EngineTestSupport {
    private static final int THREADS = 6;
    private static final int OPS_PER_THREAD = 40_000;
    private static final int KEY_SPACE = 1_500;
    private static final List<String> TAGS = List.of("red", "green", "blue", "cyan", "magenta", "yellow");

    @TestFactory
    Stream<DynamicTest> tagIndexStaysExactUnderRacingWritesInvalidationsAndEvictions() {
        return Arrays.stream(EvictionPolicy.values())
                .map(policy -> DynamicTest.dynamicTest(policy.configName(), () -> hammer(policy)));
    }

    private void hammer(EvictionPolicy policy) throws InterruptedException {
        CacheEngine cache = engine(500, 96 << 10, policy, 4);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 17L * t + policy.ordinal();
            workers.add(Thread.ofPlatform().start(() -> work(cache, new SplittableRandom(seed))));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        cache.checkInvariants();
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < KEY_SPACE; k++) {
            keys.add("key-" + k);
        }
        TagsTest.assertIndexMatchesEntries(cache, keys, TAGS);
    }

    private void work(CacheEngine cache, SplittableRandom random) {
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            String key = "key-" + random.nextInt(KEY_SPACE);
            int op = random.nextInt(100);
            long ttl = random.nextInt(4) == 0 ? 1 + random.nextInt(2_000_000) : 0;
            if (op < 45) {
                cache.put(key, new byte[random.nextInt(64)], ttl, randomTags(random));
            } else if (op < 55) {
                cache.putIf(key, new byte[8], ttl, randomTags(random),
                            random.nextBoolean() ? Condition.ABSENT : Condition.PRESENT);
            } else if (op < 62) {
                Stored stored = cache.peekStored(key);
                if (stored != null) {
                    cache.putIf(key, new byte[4], ttl, randomTags(random), Condition.version(stored.version()));
                }
            } else if (op < 68) {
                cache.increment(key, 1, ttl);
            } else if (op < 73) {
                cache.delete(key);
            } else if (op < 75) {
                cache.invalidateTag(TAGS.get(random.nextInt(TAGS.size())));
            } else if (op < 76) {
                cache.keysWithTag(TAGS.get(random.nextInt(TAGS.size())), random.nextInt(50), 20);
            } else if (op < 77) {
                cache.expireDue();
            } else if (op < 80) {
                ticker.advanceNanos(1_000);
            } else {
                cache.getStored(key);
            }
        }
    }

    private static List<String> randomTags(SplittableRandom random) {
        int count = random.nextInt(4);
        List<String> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tags.add(TAGS.get(random.nextInt(TAGS.size())));
        }
        return tags;
    }

    /**
     * A write racing invalidateTag is removed by it or written after it began: so once it returns, no live entry
     * carrying the tag may have a version taken before the call began (the clock's reading just before it). Checked
     * while the writers still run, since versions only grow.
     */
    @Test
    void writesRacingAnInvalidationAreRemovedOrNewer() throws InterruptedException {
        CacheEngine cache = engine(100_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 16);
        int keys = 2_000;
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            long seed = t;
            writers.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (running.get()) {
                    String key = "k" + random.nextInt(keys);
                    List<String> tags = random.nextBoolean() ? List.of("t") : List.of("other", "t");
                    if (random.nextInt(10) == 0) {
                        cache.increment("n" + random.nextInt(keys), 1, 0);
                    }
                    cache.put(key, new byte[16], 0, random.nextInt(5) == 0 ? List.of("other") : tags);
                }
            }));
        }
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < 40; round++) {
            long before = cache.versionClock().current();
            cache.invalidateTag("t");
            for (int k = 0; k < keys; k++) {
                Stored stored = cache.peekStored("k" + k);
                if (stored != null && stored.tags().contains("t") && stored.version() <= before) {
                    violations.add("k" + k + " version " + stored.version() + " <= " + before);
                }
            }
        }
        running.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        assertTrue(violations.isEmpty(), violations.size() + " survivors, e.g. " + violations.peek());
        TagsTest.assertIndexMatchesEntries(cache, keysNamed(keys), List.of("t", "other"));
    }

    private static List<String> keysNamed(int count) {
        List<String> keys = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            keys.add("k" + k);
        }
        return keys;
    }
}
