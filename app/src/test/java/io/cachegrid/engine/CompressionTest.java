package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cachegrid.JsonSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compression ({@link CacheSettings#compressionThresholdBytes}): every value comes back byte for byte through
 * every read, only values above the threshold that shrink enough are held compressed, the memory accounting and
 * limit see the stored bytes, and the compression figures are exact (the invariant check after each test also
 * recounts them). Off, nothing is compressed and nothing is counted.
 */
class CompressionTest extends EngineTestSupport {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final int THRESHOLD = 256;

    private CacheEngine compressing(long maxSize, long maxMemoryBytes, EvictionPolicy policy, int threshold) {
        CacheEngine engine = new CacheEngine(new CacheSettings(maxSize, maxMemoryBytes, policy, 0, ticker)
                                                     .withCompressionThreshold(threshold));
        track(engine);
        return engine;
    }

    @ParameterizedTest(name = "threshold {0}")
    @ValueSource(ints = {1, THRESHOLD, 4096})
    void everyValueRoundTripsByteForByteThroughEveryRead(int threshold) {
        CacheEngine cache = compressing(100_000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, threshold);
        List<byte[]> values = JsonSamples.variety(300_000, threshold);
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i);
            List<String> tags = i % 3 == 0 ? List.of("t" + i % 5, "all") : List.of();
            cache.put("k" + i, value, i % 2 == 0 ? HOUR : 0, tags);
        }
        int compressed = 0;
        for (int i = 0; i < values.size(); i++) {
            String key = "k" + i;
            byte[] value = values.get(i);
            assertArrayEquals(value, cache.get(key), key);
            assertArrayEquals(value, cache.peek(key), key);
            assertArrayEquals(value, cache.getView(key).toByteArray(), key);
            ValueView view = cache.peekView(key);
            assertEquals(value.length, view.length(), key);
            Stored stored = cache.getStored(key);
            assertArrayEquals(value, stored.value().toByteArray(), key);
            assertEquals(i % 3 == 0 ? List.of("t" + i % 5, "all") : List.of(), stored.tags(), key);
            assertEquals(i % 2 == 0, stored.ttlRemainingNanos() > 0, key);
            StoredForm form = cache.peekStoredForm(key);
            assertEquals(stored.version(), form.version(), key);
            if (form.compressed()) {
                compressed++;
                assertTrue(value.length > threshold, key + " is compressed only above the threshold");
                assertTrue(form.length() <= value.length - value.length / 8, key + " saves at least 1/8");
                assertArrayEquals(value, ValueCompression.decompress(form.array(), form.offset(), form.length()),
                                  key + ": the stored form decompresses to the value");
            } else {
                assertEquals(value.length, form.length(), key);
            }
        }
        assertTrue(compressed > 0, "some values were compressed");
        assertEquals(compressed, cache.compressionStats().compressedValues());
    }

    @Test
    void onlyValuesAboveTheThresholdThatShrinkEnoughAreCompressed() {
        CacheEngine cache = compressing(1000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, THRESHOLD);
        byte[] atThreshold = JsonSamples.repetitive(THRESHOLD);
        byte[] above = JsonSamples.repetitive(THRESHOLD + 1);
        byte[] noise = JsonSamples.incompressible(64 * 1024, 7);
        assertEquals(THRESHOLD, atThreshold.length);
        assertEquals(THRESHOLD + 1, above.length);
        cache.put("at", atThreshold, 0);
        cache.put("above", above, 0);
        cache.put("noise", noise, 0);
        assertFalse(cache.peekStoredForm("at").compressed(), "a value of exactly the threshold is not compressed");
        assertTrue(cache.peekStoredForm("above").compressed(), "one byte more and it is");
        assertFalse(cache.peekStoredForm("noise").compressed(), "base64 noise does not shrink by 1/8: kept as is");
        assertArrayEquals(noise, cache.get("noise"));
        CompressionStats stats = cache.compressionStats();
        assertEquals(1, stats.compressedValues());
        assertEquals(1, stats.incompressibleValues());
        assertEquals(noise.length, stats.incompressibleBytes());
        assertEquals(above.length, stats.originalBytes());
    }

    @Test
    void memoryAccountingCountsTheStoredBytes() {
        CacheEngine cache = compressing(1000, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, THRESHOLD);
        byte[] document = JsonSamples.document(64 * 1024, 3);
        cache.put("doc", document, 0);
        StoredForm form = cache.peekStoredForm("doc");
        assertTrue(form.compressed());
        assertEquals(3 + form.length() + CacheEngine.ENTRY_OVERHEAD_BYTES, cache.memoryBytes(),
                     "key + compressed value + overhead");
        assertTrue(cache.memoryBytes() < document.length / 2, "a 64 KB JSON document is held in under half");
        cache.put("doc", new byte[] {'1'}, 0);
        assertEquals(3 + 1 + CacheEngine.ENTRY_OVERHEAD_BYTES, cache.memoryBytes(), "rewritten small: plain bytes");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void theMemoryLimitHoldsWithCompressedValuesAndMoreFit(EvictionPolicy policy) {
        long limit = 1L << 20;
        CacheEngine cache = compressing(100_000, limit, policy, THRESHOLD);
        int documents = 400;                                     // 16 KB each: 6.4 MB of JSON into 1 MiB
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            byte[] document = JsonSamples.document(16 * 1024, i);
            written.add(document);
            cache.put("doc:" + i, document, policy == EvictionPolicy.TTL ? HOUR + i : 0);
            assertTrue(cache.memoryBytes() <= limit, "over the limit after " + i + ": " + cache.memoryBytes());
        }
        long heldUncompressed = limit / (16 * 1024 + CacheEngine.ENTRY_OVERHEAD_BYTES);
        assertTrue(cache.size() > heldUncompressed * 3 / 2,
                   cache.size() + " documents held, uncompressed at most " + heldUncompressed + " would fit");
        assertTrue(cache.stats().evictions() > 0, "the limit was reached and enforced by eviction");
        int present = 0;
        for (int i = 0; i < documents; i++) {
            byte[] value = cache.peek("doc:" + i);
            if (value != null) {
                present++;
                assertArrayEquals(written.get(i), value, "doc:" + i);
            }
        }
        assertEquals(cache.size(), present);
    }

    @Test
    void statsFollowEveryWayInAndOut() {
        CacheEngine cache = compressing(3, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, THRESHOLD);
        byte[] a = JsonSamples.document(4096, 1);
        byte[] b = JsonSamples.document(8192, 2);
        byte[] noise = JsonSamples.incompressible(2048, 3);
        cache.put("a", a, 0);
        cache.put("b", b, HOUR);
        cache.put("noise", noise, 0);
        cache.put("small", new byte[] {'1', '2'}, 0);                  // evicts "a" (lru, max 3)
        CompressionStats stats = cache.compressionStats();
        StoredForm bForm = cache.peekStoredForm("b");
        assertEquals(new CompressionStats(THRESHOLD, 1, b.length, bForm.length(), 1, noise.length), stats);
        double expected = (double) (b.length + noise.length) / (bForm.length() + noise.length);
        assertEquals(expected, stats.ratio(), 1e-12);
        assertTrue(stats.ratio() > 1.5, "JSON above the threshold held at " + stats.ratio() + ":1");
        cache.checkInvariants();

        ticker.advanceNanos(2 * HOUR);
        assertNull(cache.get("b"), "expired");
        assertEquals(0, cache.compressionStats().compressedValues());
        cache.put("b", b, 0);
        assertEquals(1, cache.compressionStats().compressedValues());
        cache.put("b", noise, 0);                                     // compressed -> plain rewrite
        assertEquals(new CompressionStats(THRESHOLD, 0, 0, 0, 2, 2L * noise.length), cache.compressionStats());
        cache.put("b", a, 0, List.of("tag"));                         // plain -> compressed, tagged
        assertEquals(1, cache.compressionStats().compressedValues());
        assertEquals(1, cache.invalidateTag("tag"));
        assertTrue(cache.delete("noise"));
        assertEquals(new CompressionStats(THRESHOLD, 0, 0, 0, 0, 0), cache.compressionStats());
        assertEquals(1.0, cache.compressionStats().ratio());
        cache.put("a", a, 0);
        cache.clear();
        assertEquals(new CompressionStats(THRESHOLD, 0, 0, 0, 0, 0), cache.compressionStats());
    }

    @Test
    void versionsAndConditionsAreUnaffected() {
        CacheEngine cache = compressing(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, THRESHOLD);
        byte[] document = JsonSamples.document(4096, 9);
        long first = cache.put("k", document, 0, List.of());
        assertEquals(first, cache.getStored("k").version());
        WriteResult refused = cache.putIf("k", document, 0, List.of(), new Condition.Version(first + 1));
        assertFalse(refused.applied());
        assertEquals(first, refused.version());
        WriteResult applied = cache.putIf("k", JsonSamples.document(5000, 10), 0, List.of(),
                                          new Condition.Version(first));
        assertTrue(applied.applied());
        assertTrue(applied.version() > first);
        assertArrayEquals(JsonSamples.document(5000, 10), cache.get("k"));
    }

    @Test
    void countersWorkWhateverTheThreshold() {
        CacheEngine cache = compressing(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 1);
        cache.put("n", "1000000000000000000".getBytes(), 0);
        assertTrue(cache.peekStoredForm("n").compressed(), "eighteen zeros shrink: a counter can be compressed");
        IncrResult result = cache.increment("n", 5, 0);
        assertEquals(1000000000000000005L, ((IncrResult.Incremented) result).value());
        assertEquals("1000000000000000005", text(cache.get("n")));
        assertFalse(cache.peekStoredForm("n").compressed(), "the sum is stored as it is");
        byte[] document = JsonSamples.repetitive(1000);
        cache.put("doc", document, 0, List.of("t"));
        assertTrue(cache.peekStoredForm("doc").compressed());
        assertEquals(IncrResult.NOT_AN_INTEGER, cache.increment("doc", 1, 0), "a compressed non-number");
        assertArrayEquals(document, cache.get("doc"), "left alone");
    }

    @Test
    void offByDefaultNothingIsCompressedOrCounted() {
        CacheEngine cache = engine(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 0);
        assertEquals(0, cache.settings().compressionThresholdBytes());
        byte[] document = JsonSamples.document(64 * 1024, 5);
        cache.put("doc", document, 0);
        StoredForm form = cache.peekStoredForm("doc");
        assertFalse(form.compressed());
        assertEquals(document.length, form.length());
        assertEquals(CacheEngine.weigh("doc", document), cache.memoryBytes());
        ValueView view = cache.getView("doc");
        assertTrue(view.array() == form.array(), "an uncompressed read is the stored array itself (zero-copy)");
        assertEquals(new CompressionStats(0, 0, 0, 0, 0, 0), cache.compressionStats());
        assertFalse(cache.compressionStats().enabled());
        assertEquals(1.0, cache.compressionStats().ratio());
    }

    @Test
    void aCompressedReadIsAFreshArrayEachTime() {
        CacheEngine cache = compressing(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, THRESHOLD);
        cache.put("doc", JsonSamples.document(4096, 6), 0);
        ValueView first = cache.getView("doc");
        ValueView second = cache.getView("doc");
        assertNotNull(first);
        assertFalse(first.array() == second.array(), "each reader gets its own decompressed copy");
        assertFalse(first.array() == cache.peekStoredForm("doc").array());
    }

    @Test
    void concurrentWritersAndReadersOnlyEverSeeWholeValues() throws Exception {
        CacheEngine cache = compressing(100, 2L << 20, EvictionPolicy.LRU, THRESHOLD);
        // per key, three versions that switch the entry between compressed, plain-above-threshold and small
        byte[][] versions = {JsonSamples.document(8192, 1), JsonSamples.incompressible(3000, 2), "[1,2,3]".getBytes()};
        int keys = 8;
        io.cachegrid.Concurrently.run(4, thread -> {
            java.util.SplittableRandom random = new java.util.SplittableRandom(thread);
            for (int i = 0; i < 3000; i++) {
                String key = "k" + random.nextInt(keys);
                if (thread % 2 == 0) {
                    cache.put(key, versions[random.nextInt(versions.length)], 0, i % 7 == 0 ? List.of("t") : List.of());
                } else {
                    byte[] read = cache.get(key);
                    if (read != null && !java.util.Arrays.equals(read, versions[0])
                            && !java.util.Arrays.equals(read, versions[1]) && !java.util.Arrays.equals(read, versions[2])) {
                        throw new AssertionError("a read of " + key + " returned " + read.length + " bytes that no"
                                                 + " write stored");
                    }
                }
            }
        });
        cache.checkInvariants();                      // the tally, recounted, matches what the writers left
        assertTrue(cache.compressionStats().compressedValues() + cache.compressionStats().incompressibleValues()
                   <= keys);
    }

    @Test
    void aStoredFormMovesBetweenEnginesAsItIs() {
        CacheEngine source = compressing(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, THRESHOLD);
        CacheEngine compressingTarget = compressing(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 100_000);
        CacheEngine plainTarget = engine(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 0);
        byte[] document = JsonSamples.document(20_000, 4);
        source.put("doc", document, 0, List.of("t"));
        StoredForm form = source.peekStoredForm("doc");
        assertTrue(form.compressed());
        byte[] stored = java.util.Arrays.copyOfRange(form.array(), form.offset(), form.offset() + form.length());

        compressingTarget.putStoredForm("doc", stored, true, HOUR, List.of("t"), Condition.ANY);
        StoredForm kept = compressingTarget.peekStoredForm("doc");
        assertTrue(kept.compressed(), "kept compressed although this engine's own threshold is higher");
        assertArrayEquals(stored, java.util.Arrays.copyOfRange(kept.array(), kept.offset(),
                                                               kept.offset() + kept.length()), "the very bytes");
        assertArrayEquals(document, compressingTarget.get("doc"));
        assertEquals(List.of("t"), compressingTarget.getStored("doc").tags());

        plainTarget.putStoredForm("doc", stored, true, 0, List.of(), Condition.ANY);
        assertFalse(plainTarget.peekStoredForm("doc").compressed(), "an engine that does not compress stores it plain");
        assertArrayEquals(document, plainTarget.get("doc"));
        assertEquals(CacheEngine.weigh("doc", document), plainTarget.memoryBytes());

        plainTarget.putStoredForm("raw", document, false, 0, List.of(), Condition.ANY);
        compressingTarget.putStoredForm("raw", document, false, 0, List.of(), Condition.ANY);
        assertFalse(compressingTarget.peekStoredForm("raw").compressed(), "a plain form stays plain");
        assertArrayEquals(document, compressingTarget.get("raw"));
    }

    @Test
    void bytesThatAreNotACompressedFormAreRefusedAndChangeNothing() {
        CacheEngine cache = compressing(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, THRESHOLD);
        byte[][] bad = {{}, {0, 0}, {0x7f, 0, 0, 0, 1, 2, 3}, {(byte) 0xff, 0, 0, 0, 1}, {0, 0, 0, 50, 1, 2, 3, 4}};
        for (byte[] bytes : bad) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> cache.putStoredForm("k", bytes, true, 0, List.of(), Condition.ANY),
                    java.util.Arrays.toString(bytes));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ValueCompression.decompress(bytes, 0, bytes.length));
        }
        assertEquals(0, cache.size());
        assertEquals(0, cache.stats().sets());
    }
}
