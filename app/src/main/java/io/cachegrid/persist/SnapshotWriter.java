package io.cachegrid.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.ChangeListener;

/**
 * Why: a snapshot must never replace a good one with a half-written file. Writes every live entry (and, on a
 * clustered node, every tombstone still in its grace period, as a delete record, so a restart cannot let an older
 * copy from another member undo a delete; before them the last versioned clear's epoch, as a clear record, for the
 * same reason; values as the engine stores them, compressed ones as {@link RecordFormat#SET_COMPRESSED})
 * ({@link CacheEngine#forEachEntry}: one segment at a time under its read lock, so writes to other segments go on,
 * and writes to this one wait only while its entries' references are copied) as set records, then an end record
 * holding the record count, to {@code snapshot-N.cgs.tmp}; fsyncs it, renames it to {@code snapshot-N.cgs} and fsyncs the
 * directory. A file without its end record (a crash, a truncation) is not a snapshot to the loader.
 */
final class SnapshotWriter implements ChangeListener {

    private static final int BUFFER_BYTES = 1 << 20;

    private final FileChannel channel;
    private final LongSupplier wallMillis;
    private byte[] buffer = new byte[BUFFER_BYTES];
    private int length;
    private long count;
    private IOException failure;

    private SnapshotWriter(FileChannel channel, LongSupplier wallMillis) {
        this.channel = channel;
        this.wallMillis = wallMillis;
    }

    /** What a snapshot wrote: entries and bytes. */
    record Written(long entries, long bytes) {
    }

    /** Writes the engine's entries to {@code target} through {@code temp}, durably. */
    static Written write(CacheEngine engine, Path temp, Path target, DataFiles files, LongSupplier wallMillis)
            throws IOException {
        Files.deleteIfExists(temp);
        long entries;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            SnapshotWriter writer = new SnapshotWriter(channel, wallMillis);
            writer.raw(RecordFormat.SNAPSHOT_MAGIC);
            engine.forEachEntry(writer);
            if (writer.failure != null) {
                throw writer.failure;
            }
            entries = writer.count;
            writer.raw(RecordFormat.encode(RecordFormat.END, entries, 0, RecordFormat.NOTHING, RecordFormat.NOTHING,
                                           RecordFormat.NOTHING));
            writer.drain();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        files.syncDirectory();
        return new Written(entries, Files.size(target));
    }

    @Override
    public void stored(byte[] data, int keyOffset, int keyLength, int valueOffset, boolean compressed, long version,
                       long deadline, long now) {
        if (failure != null) {
            return;
        }
        long size = RecordFormat.size(data.length - keyOffset);
        try {
            if (length + size > buffer.length) {
                drain();
                if (size > buffer.length) {
                    buffer = new byte[(int) size];
                }
            }
            length = RecordFormat.encode(buffer, length, RecordFormat.setType(compressed), version,
                    ChangeRecorder.wallDeadline(deadline, now, wallMillis), data, keyOffset, data.length, keyLength,
                    valueOffset - keyOffset - keyLength);
            count++;
            if (buffer.length > BUFFER_BYTES && length == 0) {
                buffer = new byte[BUFFER_BYTES];
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    private void raw(byte[] bytes) throws IOException {
        if (length + bytes.length > buffer.length) {
            drain();
        }
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void drain() throws IOException {
        Io.writeFully(channel, ByteBuffer.wrap(buffer, 0, length));
        length = 0;
    }

    /**
     * The engine's clear epoch ({@link CacheEngine#forEachEntry} gives it first): one clear record, not counted as an
     * entry, so a load refuses what the clear refused (a copy from another member older than it).
     */
    @Override
    public void cleared(long epoch) {
        if (failure != null) {
            return;
        }
        try {
            raw(RecordFormat.encode(RecordFormat.CLEAR, epoch, 0, RecordFormat.NOTHING, RecordFormat.NOTHING,
                                    RecordFormat.NOTHING));
        } catch (IOException e) {
            failure = e;
        }
    }

    /** A tombstone (a clustered node's delete still in its grace period): kept, so a restart keeps it too. */
    @Override
    public void deleted(byte[] key, long version) {
        if (failure != null) {
            return;
        }
        try {
            long size = RecordFormat.size(key.length);
            if (length + size > buffer.length) {
                drain();
                if (size > buffer.length) {
                    buffer = new byte[(int) size];
                }
            }
            length = RecordFormat.encode(buffer, length, RecordFormat.DELETE, version, 0, key, 0, key.length,
                                         key.length, 0);
            count++;
        } catch (IOException e) {
            failure = e;
        }
    }
}
