package io.cachegrid.persist;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log writer: records in append order, group commit, rotation at an exact point, failure never acknowledged. */
class LogWriterTest {

    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    private static FileChannel segment(Path file) throws Exception {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        channel.write(java.nio.ByteBuffer.wrap(RecordFormat.LOG_MAGIC));
        return channel;
    }

    private static List<Long> versions(Path file) throws Exception {
        List<Long> versions = new ArrayList<>();
        try (RecordReader reader = new RecordReader(file, RecordFormat.LOG_MAGIC)) {
            for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                versions.add(r.version());
            }
            assertEquals(null, reader.damage());
        }
        return versions;
    }

    @Test
    void concurrentWritersShareFsyncsAndEveryRecordIsOnDiskWhenTheirWaitReturns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log-000000000001.cgl");
        LogWriter log = new LogWriter(segment(file), FsyncPolicy.ALWAYS);
        int writers = 8;
        int each = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    log.append(RecordFormat.SET, writer * 1000L + i, 0, KEY, 0, 1, 1, 0);
                    log.awaitDurable();
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(log.fsyncs() < writers * each, "group commit: " + log.fsyncs() + " fsyncs for "
                + writers * each + " acknowledged writes");
        log.close();
        List<Long> versions = versions(file);
        assertEquals(writers * each, versions.size());
        for (int w = 0; w < writers; w++) { // each writer's records in its order
            long writer = w;
            List<Long> own = versions.stream().filter(v -> v / 1000 == writer).toList();
            assertEquals(each, own.size());
            for (int i = 1; i < own.size(); i++) {
                assertTrue(own.get(i) > own.get(i - 1));
            }
        }
    }

    @Test
    void rotationSplitsTheRecordsExactlyWhereItWasAsked(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("log-000000000001.cgl");
        Path second = dir.resolve("log-000000000002.cgl");
        LogWriter log = new LogWriter(segment(first), FsyncPolicy.NO);
        for (int i = 1; i <= 100; i++) {
            log.append(RecordFormat.SET, i, 0, KEY, 0, 1, 1, 0);
        }
        log.rotate(segment(second));
        for (int i = 101; i <= 150; i++) {
            log.append(RecordFormat.SET, i, 0, KEY, 0, 1, 1, 0);
        }
        log.close();
        assertEquals(100, versions(first).size());
        assertEquals(1L, versions(first).getFirst());
        assertEquals(List.of(101L, 150L), List.of(versions(second).getFirst(), versions(second).getLast()));
        assertEquals(50, versions(second).size());
    }

    @Test
    void aFailedWriteIsNeverAcknowledgedAndStaysFailed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log-000000000001.cgl");
        Files.write(file, RecordFormat.LOG_MAGIC);
        LogWriter log = new LogWriter(FileChannel.open(file, StandardOpenOption.READ), FsyncPolicy.ALWAYS);
        log.append(RecordFormat.SET, 1, 0, KEY, 0, 1, 1, 0);
        PersistenceException e = assertThrows(PersistenceException.class, log::awaitDurable);
        assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
        assertTrue(log.failed());
        log.append(RecordFormat.SET, 2, 0, KEY, 0, 1, 1, 0);
        assertThrows(PersistenceException.class, log::awaitDurable);
        log.close();
        assertFalse(Files.size(file) > RecordFormat.MAGIC_BYTES);
    }
}
