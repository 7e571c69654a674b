package io.cachegrid.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.cachegrid.JsonSamples;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.StoredForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistence with value compression ({@code CACHEGRID_COMPRESSION_THRESHOLD_BYTES}) and with the cluster's
 * versioned clear: the log and snapshots keep a compressed value as such, and a restart gives every value back byte
 * for byte, with compression on (kept compressed) or off (decompressed at the load); a versioned clear's epoch
 * survives a restart from the log and from a snapshot; files of format 1 are still read.
 */
class PersistenceCompressionTest {

    private static final long MB = 1024 * 1024;
    private static final int THRESHOLD = 64;
    private final AtomicLong wall = new AtomicLong(1_796_000_000_000L);

    private static CacheEngine engine(int threshold) {
        return new CacheEngine(CacheSettings.of(1_000_000, 256 * MB, EvictionPolicy.LRU)
                                       .withCompressionThreshold(threshold));
    }

    private Persistence start(Path dir, PersistenceMode mode, CacheEngine engine) {
        return Persistence.start(new PersistenceSettings(mode, dir, FsyncPolicy.ALWAYS, 3600), engine, wall::get);
    }

    /** Every key's value, read back as the clients get it. */
    private static void assertHolds(Map<String, byte[]> expected, CacheEngine engine, String when) {
        assertEquals(expected.size(), engine.size(), when);
        expected.forEach((key, value) -> assertArrayEquals(value, engine.peek(key), when + ": " + key + " of "
                + value.length + " bytes"));
        engine.checkInvariants();
    }

    @Test
    void compressedValuesComeBackByteForByteWithCompressionOnOrOff(@TempDir Path dir) {
        Map<String, byte[]> expected = new LinkedHashMap<>();
        CacheEngine first = engine(THRESHOLD);
        long compressed;
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, first)) {
            List<byte[]> values = JsonSamples.variety(300_000, 7);
            for (int i = 0; i < values.size(); i++) {          // these end up in the snapshot only
                first.put("snap" + i, values.get(i), 0, i % 3 == 0 ? List.of("t") : List.of());
                expected.put("snap" + i, values.get(i));
            }
            byte[] small = "{\"n\":1}".getBytes();
            first.put("small", small, 0);                      // below the threshold: stored as it is
            expected.put("small", small);
            byte[] random = JsonSamples.incompressible(4000, 3);
            first.put("random", random, TimeUnit.HOURS.toNanos(1)); // above it, but does not shrink
            expected.put("random", random);
            assertTrue(persistence.snapshot());
            for (int i = 0; i < 40; i++) {                     // these in the log after it
                byte[] value = JsonSamples.document(200 + 500 * i, 100 + i);
                first.put("log" + i, value, i % 2 == 0 ? 0 : TimeUnit.HOURS.toNanos(1), List.of("u"));
                expected.put("log" + i, value);
            }
            byte[] rewritten = JsonSamples.document(3000, 99);  // in the snapshot, then rewritten in the log
            first.put("snap1", rewritten, 0);
            expected.put("snap1", rewritten);
            first.delete("snap2");
            expected.remove("snap2");
            compressed = first.compressionStats().compressedValues();
            assertTrue(compressed > 40, "most values are held compressed: " + compressed);
            StoredForm form = first.peekStoredForm("log5");
            assertTrue(form.compressed() && form.length() < expected.get("log5").length);
            persistence.awaitDurable();
            assertHolds(expected, first, "before the restart");
        }

        CacheEngine again = engine(THRESHOLD);
        try (Persistence ignored = start(dir, PersistenceMode.BOTH, again)) {
            assertHolds(expected, again, "restarted with compression on");
            assertEquals(compressed, again.compressionStats().compressedValues(),
                         "the values are loaded in their stored form: as many compressed as before");
            assertEquals(first.compressionStats().storedBytes(), again.compressionStats().storedBytes());
            assertFalse(again.peekStoredForm("random").compressed());
            assertFalse(again.peekStoredForm("small").compressed());
        }

        CacheEngine off = engine(0);
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, off)) {
            assertHolds(expected, off, "restarted with compression off");
            assertEquals(0, off.compressionStats().compressedValues());
            assertFalse(off.peekStoredForm("log5").compressed());
            assertTrue(persistence.snapshot()); // a snapshot of plain values now
        }

        CacheEngine on = engine(THRESHOLD);
        try (Persistence ignored = start(dir, PersistenceMode.BOTH, on)) {
            assertHolds(expected, on, "restarted with compression on again, from plain values");
            assertTrue(on.peekStoredForm("log5").compressed(), "plain values above the threshold are compressed");
        }
    }

    @Test
    void theLogAloneAndSnapshotsAloneKeepCompressedValues(@TempDir Path dir) {
        for (PersistenceMode mode : List.of(PersistenceMode.LOG, PersistenceMode.SNAPSHOT)) {
            Path sub = dir.resolve(mode.configName());
            Map<String, byte[]> expected = new LinkedHashMap<>();
            CacheEngine first = engine(THRESHOLD);
            try (Persistence ignored = start(sub, mode, first)) {
                for (int i = 0; i < 30; i++) {
                    byte[] value = JsonSamples.document(100 + 700 * i, i);
                    first.put("k" + i, value, 0);
                    expected.put("k" + i, value);
                }
                first.increment("n", 5, 0);
                expected.put("n", "5".getBytes());
            } // mode snapshot: a last snapshot at the stop
            for (int threshold : new int[] {THRESHOLD, 0}) {
                CacheEngine second = engine(threshold);
                try (Persistence ignored = start(sub, mode, second)) {
                    assertHolds(expected, second, mode + ", threshold " + threshold);
                }
            }
        }
    }

    @Test
    void aVersionedClearsEpochSurvivesARestartFromTheLogAndFromASnapshot(@TempDir Path dir) {
        CacheSettings clustered = CacheSettings.of(1000, 64 * MB, EvictionPolicy.LRU)
                .withTombstones(300_000_000_000L).withCompressionThreshold(THRESHOLD);
        CacheEngine first = new CacheEngine(clustered);
        long epoch;
        long later;
        try (Persistence ignored = start(dir, PersistenceMode.LOG, first)) {
            first.put("before", JsonSamples.document(500, 1), 0);
            first.put("also", "1".getBytes(), 0);
            epoch = first.versionClock().current() + 1_000;
            first.clear(epoch);
            first.put("after", "2".getBytes(), 0);
            later = first.versionClock().current() + 1_000;
            first.clear(later); // a second clear, later: the epoch rises, "after" goes
            first.put("last", "3".getBytes(), 0);
            assertEquals(1, first.size());
        }
        CacheEngine second = new CacheEngine(clustered);
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, second)) {
            assertEquals(later, second.clearEpoch(), "the log's clears restore the epoch");
            assertEquals(1, second.size());
            assertArrayEquals("3".getBytes(), second.peek("last"));
            assertFalse(second.putIf("before", "0".getBytes(), 0, List.of(), Condition.newer(epoch)).applied(),
                        "a copy older than the clear stays refused after the restart");
            assertTrue(persistence.snapshot()); // the epoch now lives in the snapshot only
        }
        CacheEngine third = new CacheEngine(clustered);
        try (Persistence ignored = start(dir, PersistenceMode.BOTH, third)) {
            assertEquals(later, third.clearEpoch(), "the snapshot's clear record restores the epoch");
            assertArrayEquals("3".getBytes(), third.peek("last"));
            assertEquals(1, third.size());
            assertFalse(third.putIf("also", "0".getBytes(), 0, List.of(), Condition.newer(later - 1)).applied());
            third.checkInvariants();
        }
    }

    @Test
    void filesOfFormat1AreStillRead(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] key = "old".getBytes();
        byte[] value = "{\"written\":\"by format 1\"}".getBytes();
        byte[] record = RecordFormat.encode(RecordFormat.SET, 42, 0, key, RecordFormat.NOTHING, value);
        byte[] file = Arrays.copyOf(RecordFormat.LOG_MAGIC_1, RecordFormat.MAGIC_BYTES + record.length);
        System.arraycopy(record, 0, file, RecordFormat.MAGIC_BYTES, record.length);
        Files.write(new DataFiles(dir).log(1), file);
        CacheEngine engine = engine(THRESHOLD);
        try (Persistence persistence = start(dir, PersistenceMode.LOG, engine)) {
            assertTrue(persistence.startWarnings().isEmpty(), persistence.startWarnings().toString());
            assertArrayEquals(value, engine.peek("old"));
            assertEquals(42, engine.peekStored("old").version());
            assertNull(engine.peek("new"));
        }
    }
}
