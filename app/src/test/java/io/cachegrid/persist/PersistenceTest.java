package io.cachegrid.persist;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.Stored;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistence in one process: what an engine held comes back in a fresh engine from the same directory (log alone,
 * snapshot plus log, snapshot alone), with versions, tags and deadlines; damage is cut away with a warning naming
 * the file and offset and never stops the start; limits hold during the load.
 */
class PersistenceTest {

    private static final long MB = 1024 * 1024;
    private final AtomicLong wall = new AtomicLong(1_796_000_000_000L);

    private static CacheEngine engine(long maxMemoryBytes) {
        return new CacheEngine(CacheSettings.of(1_000_000, maxMemoryBytes, EvictionPolicy.LRU));
    }

    private Persistence start(Path dir, PersistenceMode mode, CacheEngine engine) {
        return Persistence.start(new PersistenceSettings(mode, dir, FsyncPolicy.ALWAYS, 3600), engine, wall::get);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(CacheEngine engine, String key) {
        byte[] value = engine.peek(key);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Test
    void everyKindOfChangeIsReplayedFromTheLogWithItsVersion(@TempDir Path dir) {
        CacheEngine first = engine(64 * MB);
        long version;
        try (Persistence persistence = start(dir, PersistenceMode.LOG, first)) {
            first.put("a", json("1"), 0);
            version = first.put("b", json("{\"x\":2}"), 0, List.of("t1", "t2"));
            first.put("c", json("3"), 0, List.of("t1"));
            first.put("d", json("4"), 0);
            first.delete("d");
            first.increment("n", 5, 0);
            first.increment("n", 2, 0);
            first.put("e", json("5"), 0, List.of("gone"));
            first.invalidateTag("gone");
            first.putIf("f", json("6"), 0, List.of(), Condition.ABSENT);
            first.deleteIf("f", Condition.PRESENT);
            persistence.awaitDurable();
        }
        CacheEngine second = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.LOG, second)) {
            assertEquals("1", value(second, "a"));
            assertEquals("{\"x\":2}", value(second, "b"));
            Stored b = second.peekStored("b");
            assertEquals(version, b.version());
            assertEquals(List.of("t1", "t2"), b.tags());
            assertEquals("7", value(second, "n"));
            assertNull(value(second, "d"));
            assertNull(value(second, "e"));
            assertNull(value(second, "f"));
            assertEquals(List.of("b", "c"), second.keysWithTag("t1", 0, 10).keys().stream().sorted().toList());
            assertEquals(4, second.size());
            assertTrue(Long.compareUnsigned(second.put("z", json("0"), 0, List.of()), version) > 0,
                    "a write after the restart is newer than every loaded version");
            assertTrue(persistence.startWarnings().isEmpty());
            second.checkInvariants();
        }
    }

    @Test
    void aClearRemovesWhatCameBeforeItAndKeepsWhatCameAfter(@TempDir Path dir) {
        CacheEngine first = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.LOG, first)) {
            for (int i = 0; i < 100; i++) {
                first.put("k" + i, json(String.valueOf(i)), 0);
            }
            first.clear();
            first.put("after", json("1"), 0);
        }
        CacheEngine second = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.LOG, second)) {
            assertEquals(1, second.size());
            assertEquals("1", value(second, "after"));
        }
    }

    @Test
    void aSnapshotPlusTheLogSinceItRestoreEverythingAndOldFilesGo(@TempDir Path dir) throws IOException {
        CacheEngine first = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, first)) {
            for (int i = 0; i < 1000; i++) {
                first.put("k" + i, json(String.valueOf(i)), 0);
            }
            assertTrue(persistence.snapshot());
            for (int i = 0; i < 1000; i += 2) {
                first.delete("k" + i);
            }
            first.put("k1", json("\"new\""), 0);
            assertTrue(persistence.snapshot());
            first.put("k3", json("\"newer\""), 0);
            assertTrue(persistence.snapshot());
            first.put("k5", json("\"newest\""), 0);
            persistence.awaitDurable();
            DataFiles files = new DataFiles(dir);
            assertEquals(2, files.snapshots().size(), "the newest snapshot and the one before it stay");
            assertEquals(files.snapshots().getFirst(), files.logs().getFirst(),
                    "the log segments since the previous snapshot stay, older ones go");
            assertEquals(500, persistence.status().lastSnapshotEntries());
        }
        CacheEngine second = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, second)) {
            assertEquals(500, second.size());
            assertEquals("\"new\"", value(second, "k1"));
            assertEquals("\"newer\"", value(second, "k3"));
            assertEquals("\"newest\"", value(second, "k5"));
            assertEquals("7", value(second, "k7"));
            assertNull(value(second, "k0"));
            assertEquals(500, persistence.status().loadedSnapshotEntries());
            second.checkInvariants();
        }
    }

    @Test
    void snapshotModeKeepsWhatTheLastSnapshotHeldAndSnapshotsAtAStop(@TempDir Path dir) {
        CacheEngine first = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.SNAPSHOT, first)) {
            first.put("a", json("1"), 0);
        } // a clean stop takes a last snapshot
        CacheEngine second = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.SNAPSHOT, second)) {
            assertEquals("1", value(second, "a"));
        }
    }

    @Test
    void entriesThatExpiredWhileDownAreDroppedAndTheirOlderValueDoesNotReturn(@TempDir Path dir) {
        CacheEngine first = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.LOG, first)) {
            first.put("short", json("\"old\""), 0);
            first.put("short", json("\"new\""), 2_000_000_000L);         // 2 s
            first.put("long", json("1"), 3_600_000_000_000L);             // 1 h
        }
        wall.addAndGet(10_000);                                           // down for 10 s
        CacheEngine second = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.LOG, second)) {
            assertNull(value(second, "short"));
            assertEquals("1", value(second, "long"));
            long ttl = second.ttlRemainingNanos("long");
            assertTrue(ttl > 3_580_000_000_000L && ttl <= 3_590_001_000_000L, "ttl " + ttl); // 1 h - 10 s
        }
    }

    @Test
    void aDirectoryWrittenWithALargerLimitLoadsIntoASmallerOneWithinIt(@TempDir Path dir) {
        CacheEngine big = engine(64 * MB);
        byte[] kilobyte = json("\"" + "x".repeat(1022) + "\"");
        try (Persistence ignored = start(dir, PersistenceMode.BOTH, big)) {
            for (int i = 0; i < 20_000; i++) {
                big.put("k" + i, kilobyte, 0);
            }
        }
        assertTrue(big.memoryBytes() > 20 * MB);
        CacheEngine small = engine(4 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.BOTH, small)) {
            assertTrue(small.memoryBytes() <= 4 * MB, "memory " + small.memoryBytes());
            assertTrue(small.size() > 3000, "size " + small.size());
            assertNotNull(small.peek("k19999"), "the newest entries are kept (lru)");
            small.checkInvariants();
        }
    }

    @Test
    void aTornTailIsCutWithAWarningNamingTheFileAndOffset(@TempDir Path dir) throws IOException {
        CacheEngine first = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.LOG, first)) {
            for (int i = 0; i < 10; i++) {
                first.put("k" + i, json(String.valueOf(i)), 0);
            }
        }
        Path log = new DataFiles(dir).log(new DataFiles(dir).logs().getFirst());
        long size = Files.size(log);
        long lastRecord = RecordFormat.size(2 + 1);                      // "k9", "9"
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(size - 4);                                  // the last record torn
        }
        CacheEngine second = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.LOG, second)) {
            assertEquals(9, second.size());
            assertNull(value(second, "k9"));
            assertEquals(1, persistence.startWarnings().size());
            String warning = persistence.startWarnings().getFirst();
            assertTrue(warning.contains(log.toString()) && warning.contains("offset " + (size - lastRecord))
                       && warning.contains("torn"), warning);
            second.put("later", json("1"), 0);
        }
        assertEquals(size - lastRecord, Files.size(log), "cut at the torn record");
        CacheEngine third = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.LOG, third)) {
            assertTrue(persistence.startWarnings().isEmpty(), "repaired once for good");
            assertEquals(10, third.size());
        }
    }

    @Test
    void aFlippedBitMidLogKeepsWhatCameBeforeItAndNeverLoadsTheCorruptRecord(@TempDir Path dir) throws IOException {
        CacheEngine first = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.LOG, first)) {
            for (int i = 0; i < 100; i++) {
                first.put("key" + (100 + i), json("\"value" + (100 + i) + "\""), 0);
            }
        }
        Path log = new DataFiles(dir).log(new DataFiles(dir).logs().getFirst());
        long recordBytes = RecordFormat.size(6 + 10);
        long fiftieth = RecordFormat.MAGIC_BYTES + 50 * recordBytes;
        byte[] bytes = Files.readAllBytes(log);
        bytes[(int) fiftieth + 40] ^= 0x01;                              // inside the value of key150
        Files.write(log, bytes);
        CacheEngine second = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.LOG, second)) {
            assertEquals(50, second.size());
            assertEquals("\"value149\"", value(second, "key149"));
            assertNull(value(second, "key150"));
            String warning = persistence.startWarnings().getFirst();
            assertTrue(warning.contains(log.toString()) && warning.contains("offset " + fiftieth)
                       && warning.contains("checksum"), warning);
            assertTrue(Files.exists(log.resolveSibling(log.getFileName() + ".damaged-" + fiftieth)),
                    "the cut bytes are kept aside");
        }
    }

    @Test
    void aTruncatedSnapshotFallsBackToThePreviousOneAndItsLog(@TempDir Path dir) throws IOException {
        CacheEngine first = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, first)) {
            first.put("a", json("1"), 0);
            assertTrue(persistence.snapshot());
            first.put("b", json("2"), 0);
            assertTrue(persistence.snapshot());
            first.put("c", json("3"), 0);
        }
        DataFiles files = new DataFiles(dir);
        Path newest = files.snapshot(files.snapshots().getLast());
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(newest) - 10);                   // its end record gone
        }
        CacheEngine second = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, second)) {
            assertEquals("1", value(second, "a"));
            assertEquals("2", value(second, "b"));
            assertEquals("3", value(second, "c"));
            String warning = persistence.startWarnings().getFirst();
            assertTrue(warning.contains(newest.toString()) && warning.contains("previous"), warning);
        }
    }

    @Test
    void aClusteredNodesTombstonesSurviveInTheLogAndInSnapshots(@TempDir Path dir) {
        CacheSettings clustered = CacheSettings.of(1000, 64 * MB, EvictionPolicy.LRU).withTombstones(300_000_000_000L);
        CacheEngine first = new CacheEngine(clustered);
        long logged;
        long snapshotted;
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, first)) {
            first.put("snap", json("1"), 0);
            first.delete("snap");
            snapshotted = first.tombstoneVersion("snap");
            assertTrue(persistence.snapshot()); // this delete now lives in the snapshot only
            first.put("log", json("1"), 0);
            first.delete("log");
            logged = first.tombstoneVersion("log");
        }
        CacheEngine second = new CacheEngine(clustered);
        try (Persistence ignored = start(dir, PersistenceMode.BOTH, second)) {
            assertEquals(snapshotted, second.tombstoneVersion("snap"));
            assertEquals(logged, second.tombstoneVersion("log"));
            // an older copy from another member cannot bring either back
            assertFalse(second.putIf("snap", json("0"), 0, List.of(), Condition.newer(snapshotted - 1)).applied());
            assertFalse(second.putIf("log", json("0"), 0, List.of(), Condition.newer(logged - 1)).applied());
            second.checkInvariants();
        }
    }

    @Test
    void snapshotsTakenWhileWritersRunLoseNothingAndRacingClearsReplayExactly(@TempDir Path dir) throws Exception {
        CacheEngine first = engine(64 * MB);
        java.util.Map<String, String> before;
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, first)) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> writers = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                    for (int i = 0; i < 20_000; i++) {
                        String key = "k" + random.nextInt(300);
                        switch (random.nextInt(10)) {
                            case 0, 1 -> first.delete(key);
                            case 2 -> first.increment("n" + random.nextInt(10), 1, 0);
                            case 3 -> first.put(key, json(String.valueOf(i)), 0, List.of("t" + random.nextInt(3)));
                            default -> first.put(key, json("\"" + seed + ":" + i + "\""), 0);
                        }
                        if (random.nextInt(2000) == 0) { // each racing the other writers' puts of its keys
                            first.invalidateTag("t" + random.nextInt(3));
                        }
                        if (random.nextInt(10_000) == 0) {
                            first.clear();
                        }
                    }
                }));
            }
            int snapshots = 0;
            while (writers.stream().anyMatch(Thread::isAlive)) {
                assertTrue(persistence.snapshot());
                snapshots++;
            }
            for (Thread writer : writers) {
                writer.join();
            }
            assertTrue(snapshots >= 2, "snapshots while writing: " + snapshots);
            before = contents(first);
        }
        CacheEngine second = engine(64 * MB);
        try (Persistence ignored = start(dir, PersistenceMode.BOTH, second)) {
            assertEquals(before, contents(second));
            second.checkInvariants();
        }
    }

    /** Every live key with its value, version and tags, as text. */
    private static java.util.Map<String, String> contents(CacheEngine engine) {
        java.util.Map<String, String> all = new java.util.TreeMap<>();
        for (String key : engine.keys("", Integer.MAX_VALUE).keys()) {
            Stored stored = engine.peekStored(key);
            all.put(key, new String(stored.value().toByteArray(), StandardCharsets.UTF_8) + " v" + stored.version()
                         + " " + stored.tags());
        }
        return all;
    }

    @Test
    void aSecondNodeCannotUseTheSameDirectory(@TempDir Path dir) {
        try (Persistence ignored = start(dir, PersistenceMode.LOG, engine(64 * MB))) {
            PersistenceException e = assertThrows(PersistenceException.class,
                    () -> start(dir, PersistenceMode.LOG, engine(64 * MB)));
            assertTrue(e.getMessage().contains("CACHEGRID_DATA_DIR"), e.getMessage());
        }
    }

    @Test
    void theStatusShowsTheLogSnapshotsAndFsyncs(@TempDir Path dir) {
        CacheEngine engine = engine(64 * MB);
        try (Persistence persistence = start(dir, PersistenceMode.BOTH, engine)) {
            engine.put("a", json("1"), 0);
            persistence.awaitDurable();
            assertTrue(persistence.snapshot());
            PersistenceStatus status = persistence.status();
            assertEquals("both", status.mode());
            assertEquals("always", status.fsync());
            assertTrue(status.logBytes() > 0);
            assertTrue(status.fsyncs() >= 1 && status.lastFsyncMicros() >= 0);
            assertEquals(1, status.snapshots());
            assertEquals(wall.get(), status.lastSnapshotMillis());
            assertTrue(status.healthy());
            assertFalse(PersistenceStatus.OFF.enabled());
        }
    }
}
