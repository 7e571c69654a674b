package io.cachegrid.engine;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the accounted memory of tagged entries against the real retained heap, as {@link MemoryAccountingTest}
 * does for untagged ones, and measures the tag index's constants. Each figure is the heap growth over the same
 * entries without tags (same segment count), minus the tag blocks' bytes, divided out:
 * <ul>
 *   <li>{@link TagIndex#PAIR_BYTES}: entries carrying two of 20 shared tags (64 segments: sets of ~80 members);</li>
 *   <li>{@link TagIndex#SINGLE_TAG_BYTES}: entries carrying one unique tag each (no set), less a pair;</li>
 *   <li>{@link TagIndex#SET_TAG_BYTES}: one segment, each tag carried by 2 entries, per tag after its pairs.</li>
 * </ul>
 * Last run (Java 25, default headers): 40.6 B per pair, 44.3 B per single tag, 229.5 B per set tag, each beyond
 * the tag's own bytes (String bytes counted as 1 per char, the tag blocks' bytes as stored).
 */
class TagMemoryTest extends EngineTestSupport {
    private static final int ENTRIES = 100_000;
    private static final double TOLERANCE = 0.10;
    private static final int SHARED_TAGS = 20;
    private static final int SET_MEMBERS = 2;

    @Test
    void accountedMemoryOfTaggedEntriesTracksRetainedHeapWithinTenPercent() {
        long untagged = fill(Tagging.NONE, 0);
        long shared = fill(Tagging.SHARED, 0);
        long unique = fill(Tagging.UNIQUE, 0);
        long untaggedOneSegment = fill(Tagging.NONE, 1);
        long sets = fill(Tagging.SETS, 1);
        double perPair = (shared - untagged - blockBytes(Tagging.SHARED)) / (2.0 * ENTRIES);
        double perSingle = (double) (unique - untagged - blockBytes(Tagging.UNIQUE) - tagBytes(Tagging.UNIQUE))
                           / ENTRIES - perPair;
        double perSet = (double) (sets - untaggedOneSegment - blockBytes(Tagging.SETS) - tagBytes(Tagging.SETS)
                                  - perPair * ENTRIES) / (ENTRIES / SET_MEMBERS);
        System.out.printf("tag memory: %.1f B per (tag, entry) pair (PAIR_BYTES %d), %.1f B per single tag "
                          + "(SINGLE_TAG_BYTES %d), %.1f B per set tag (SET_TAG_BYTES %d)%n",
                          perPair, TagIndex.PAIR_BYTES, perSingle, TagIndex.SINGLE_TAG_BYTES, perSet,
                          TagIndex.SET_TAG_BYTES);
    }

    private enum Tagging {
        NONE, SHARED, UNIQUE, SETS;

        List<String> tags(int i) {
            return switch (this) {
                case NONE -> List.of();
                case SHARED -> List.of("group-" + i % SHARED_TAGS, "kind-" + (i * 7 + 3) % SHARED_TAGS);
                case UNIQUE -> List.of("item-" + i);
                case SETS -> List.of("set-" + i / SET_MEMBERS);
            };
        }
    }

    private static long blockBytes(Tagging tagging) {
        long bytes = 0;
        for (int i = 0; i < ENTRIES; i++) {
            byte[] block = Tags.encode(tagging.tags(i));
            bytes += block == null ? 0 : block.length;
        }
        return bytes;
    }

    /** The bytes of each distinct tag once (the index's Strings). */
    private static long tagBytes(Tagging tagging) {
        return tagging.tags(0).isEmpty() ? 0 : java.util.stream.IntStream.range(0, ENTRIES)
                .mapToObj(tagging::tags).flatMap(List::stream).distinct().mapToLong(String::length).sum();
    }

    /** Fills an engine, checks its accounting against the heap, and returns the retained bytes. */
    private long fill(Tagging tagging, int segments) {
        long baseline = usedHeapAfterGc();
        CacheEngine cache = engine(1_000_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, segments);
        for (int i = 0; i < ENTRIES; i++) {
            cache.put("user:" + i, new byte[32 + (i % 200)], 0, tagging.tags(i));
        }
        long retained = usedHeapAfterGc() - baseline;
        long accounted = cache.memoryBytes();
        System.out.printf("tag memory, %s, %d segments: retained %,d B, accounted %,d B (%.1f%%)%n", tagging,
                          cache.segmentCount(), retained, accounted, 100.0 * accounted / retained);
        assertTrue(Math.abs(accounted - retained) <= TOLERANCE * retained,
                   tagging + ": accounted " + accounted + " vs retained " + retained);
        cache.checkInvariants();
        cache.clear();
        return retained;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
