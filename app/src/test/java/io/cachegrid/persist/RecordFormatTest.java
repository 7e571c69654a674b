package io.cachegrid.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record format and its reader: round trips, and every kind of damage found at the right offset. */
class RecordFormatTest {

    private static final byte[] KEY = "user:42".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAGS = {1, 3, 'a', 'b', 'c'};
    private static final byte[] VALUE = "{\"name\":\"Ada\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRecordRoundTripsEveryField() throws IOException {
        byte[] record = RecordFormat.encode(RecordFormat.SET, -3L, 1_796_000_000_123L, KEY, TAGS, VALUE);
        assertEquals(RecordFormat.size(KEY.length + TAGS.length + VALUE.length), record.length);
        assertEquals(33 + KEY.length + TAGS.length + VALUE.length, record.length);
        LogRecord read = RecordFormat.decode(Arrays.copyOfRange(record, RecordFormat.PREFIX_BYTES, record.length));
        assertNotNull(read);
        assertEquals(RecordFormat.SET, read.type());
        assertEquals(-3L, read.version()); // unsigned 64-bit versions survive
        assertEquals(1_796_000_000_123L, read.deadlineMillis());
        assertArrayEquals(KEY, read.key());
        assertArrayEquals(TAGS, read.tagBlock());
        assertArrayEquals(VALUE, read.value());
    }

    @Test
    void encodingIntoABufferWritesTheSameBytesAsTheArrayForm() {
        byte[] data = new byte[3 + KEY.length + TAGS.length + VALUE.length];
        System.arraycopy(KEY, 0, data, 3, KEY.length);
        System.arraycopy(TAGS, 0, data, 3 + KEY.length, TAGS.length);
        System.arraycopy(VALUE, 0, data, 3 + KEY.length + TAGS.length, VALUE.length);
        byte[] into = new byte[200];
        int end = RecordFormat.encode(into, 10, RecordFormat.SET, 7, 0, data, 3, data.length, KEY.length, TAGS.length);
        byte[] expected = RecordFormat.encode(RecordFormat.SET, 7, 0, KEY, TAGS, VALUE);
        assertArrayEquals(expected, Arrays.copyOfRange(into, 10, end));
    }

    @Test
    void readerReturnsEveryRecordOfAnIntactFile(@TempDir Path dir) throws IOException {
        Path file = write(dir, records(5));
        List<LogRecord> read = readAll(file);
        assertEquals(5, read.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, read.get(i).version());
        }
    }

    @Test
    void aTornTailIsFoundAtTheStartOfTheTornRecord(@TempDir Path dir) throws IOException {
        List<byte[]> records = records(4);
        byte[] whole = concat(records);
        long lastStart = RecordFormat.MAGIC_BYTES + whole.length - records.get(3).length;
        for (int cut = 1; cut < records.get(3).length; cut++) { // every possible tear of the last record
            Path file = write(dir, records);
            truncate(file, Files.size(file) - cut);
            try (RecordReader reader = new RecordReader(file, RecordFormat.LOG_MAGIC)) {
                int n = 0;
                while (reader.next() != null) {
                    n++;
                }
                assertEquals(3, n, "cut " + cut);
                assertEquals(lastStart, reader.validEnd());
                assertTrue(reader.damage().startsWith("torn record"), reader.damage());
            }
        }
    }

    @Test
    void aFlippedBitInAnyByteOfARecordStopsTheReadingBeforeIt(@TempDir Path dir) throws IOException {
        List<byte[]> records = records(3);
        long secondStart = RecordFormat.MAGIC_BYTES + records.get(0).length;
        for (int at = 0; at < records.get(1).length; at++) {
            Path file = write(dir, records);
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) secondStart + at] ^= 0x10;
            Files.write(file, bytes);
            try (RecordReader reader = new RecordReader(file, RecordFormat.LOG_MAGIC)) {
                assertNotNull(reader.next());
                assertNull(reader.next(), "byte " + at); // never a corrupt record
                assertEquals(secondStart, reader.validEnd());
                assertNotNull(reader.damage());
            }
        }
    }

    @Test
    void aWrongHeaderIsDamageAtOffsetZero(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.cgl");
        Files.write(file, concat(List.of(RecordFormat.SNAPSHOT_MAGIC, records(1).getFirst())));
        try (RecordReader reader = new RecordReader(file, RecordFormat.LOG_MAGIC)) {
            assertNull(reader.next());
            assertEquals(0, reader.validEnd());
            assertTrue(reader.damage().contains("header"), reader.damage());
        }
    }

    @Test
    void format2RecordsSayWhetherAValueIsCompressedAndCarryAClearsEpoch(@TempDir Path dir) throws IOException {
        Path file = write(dir, List.of(
                RecordFormat.encode(RecordFormat.SET_COMPRESSED, 9, 0, KEY, TAGS, VALUE),
                RecordFormat.encode(RecordFormat.CLEAR, -2L, 0, RecordFormat.NOTHING, RecordFormat.NOTHING,
                                    RecordFormat.NOTHING),
                RecordFormat.encode(RecordFormat.SET, 10, 0, KEY, TAGS, VALUE)));
        List<LogRecord> read = readAll(file);
        assertEquals(RecordFormat.SET, read.get(0).type(), "a compressed set is read as a set...");
        assertTrue(read.get(0).compressed(), "...that says its value is compressed");
        assertArrayEquals(VALUE, read.get(0).value());
        assertEquals(RecordFormat.CLEAR, read.get(1).type());
        assertEquals(-2L, read.get(1).version());
        assertEquals(RecordFormat.SET, read.get(2).type());
        assertFalse(read.get(2).compressed());
        byte[] unknown = RecordFormat.encode((byte) 3, 1, 0, KEY, TAGS, VALUE);
        assertNull(RecordFormat.decode(Arrays.copyOfRange(unknown, RecordFormat.PREFIX_BYTES, unknown.length)),
                   "an unknown type is still damage");
    }

    @Test
    void aFormat1HeaderIsReadAndTheOtherKindsIsNot(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("old.cgl");
        Files.write(log, concat(List.of(RecordFormat.LOG_MAGIC_1, records(1).getFirst())));
        assertEquals(1, readAll(log).size());
        Path snapshot = dir.resolve("old.cgs");
        Files.write(snapshot, concat(List.of(RecordFormat.SNAPSHOT_MAGIC_1, records(1).getFirst())));
        try (RecordReader reader = new RecordReader(snapshot, RecordFormat.LOG_MAGIC)) {
            assertNull(reader.next());
            assertTrue(reader.damage().contains("header"), reader.damage());
        }
        try (RecordReader reader = new RecordReader(snapshot, RecordFormat.SNAPSHOT_MAGIC)) {
            assertNotNull(reader.next());
        }
    }

    private static List<byte[]> records(int n) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(RecordFormat.encode(i % 2 == 0 ? RecordFormat.SET : RecordFormat.DELETE, i + 1, 0,
                    ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[0],
                    i % 2 == 0 ? ("\"v" + i + "\"").getBytes(StandardCharsets.UTF_8) : new byte[0]));
        }
        return records;
    }

    private static Path write(Path dir, List<byte[]> records) throws IOException {
        Path file = dir.resolve("log-000000000001.cgl");
        List<byte[]> all = new ArrayList<>();
        all.add(RecordFormat.LOG_MAGIC);
        all.addAll(records);
        Files.write(file, concat(all));
        return file;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        int length = parts.stream().mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static List<LogRecord> readAll(Path file) throws IOException {
        List<LogRecord> read = new ArrayList<>();
        try (RecordReader reader = new RecordReader(file, RecordFormat.LOG_MAGIC)) {
            for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                read.add(r);
            }
            assertNull(reader.damage());
            assertEquals(Files.size(file), reader.validEnd());
        }
        return read;
    }
}
