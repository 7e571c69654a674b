package io.cachegrid.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Why: every write must reach the log in the order it was applied, without a disk write under the engine's locks,
 * and with {@code fsync=always} many concurrent writers must share one fsync rather than queue for one each.
 *
 * <p><b>Appending</b> ({@link #append}) runs under the changed key's segment lock: it encodes the record into an
 * in-memory buffer under this writer's short lock and returns. Its position (bytes appended since start) orders it.
 * <b>One flusher thread</b> takes the whole buffer (swapping in a second one, so appenders go on meanwhile), writes
 * it to the current segment and, per policy, fsyncs: after every batch ({@link FsyncPolicy#ALWAYS}: group commit,
 * since everything appended while the previous fsync ran goes out in the next), once a second
 * ({@link FsyncPolicy#EVERYSEC}) or never ({@link FsyncPolicy#NO}). {@link #awaitDurable} waits until the position
 * its caller saw is fsynced (always) or written to the OS (everysec, no): a write is answered only then.
 *
 * <p><b>Rotation</b> ({@link #rotate}) starts a new segment at an exact point in the sequence: the records appended
 * before it go to the old segment, which is written out and fsynced, those after it to the new one. A snapshot
 * rotates first and then reads the engine, so every change missing from the snapshot is in the new segment.
 *
 * <p>A failed write or fsync stops the log for good (an fsync that failed cannot be retried safely: the kernel may
 * have dropped the dirty pages): every later {@link #awaitDurable} throws {@link PersistenceException}, so no write
 * is acknowledged as durable that is not.
 */
final class LogWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LogWriter.class.getName());
    /** Appenders wait (holding their segment's lock) while this much is not yet written: memory stays bounded. */
    static final int MAX_PENDING_BYTES = 64 << 20;
    private static final int INITIAL_BUFFER_BYTES = 64 << 10;
    private static final long EVERYSEC_NANOS = 1_000_000_000L;
    /** Longest wait of a writer for its record's durability before it gets an error instead of an answer. */
    private static final long AWAIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final FsyncPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there is something for the flusher. */
    private final Condition work = lock.newCondition();
    /** Signalled when the flusher took the buffer (room for appenders). */
    private final Condition room = lock.newCondition();
    private final ReentrantLock progressLock = new ReentrantLock();
    private final Condition progress = progressLock.newCondition();
    private final Thread flusher;

    // guarded by lock
    private byte[] pending = new byte[INITIAL_BUFFER_BYTES];
    private int length;
    private Rotation rotation;
    private boolean closing;
    private volatile long appended;

    // the flusher's own
    private byte[] spare = new byte[INITIAL_BUFFER_BYTES];
    private FileChannel channel;
    private long lastSyncNanos = System.nanoTime();

    private volatile long written;
    private volatile long synced;
    private volatile IOException failure;
    private volatile long lastFsyncNanos = -1;
    private volatile long fsyncs;

    private record Rotation(FileChannel next, int splitAt, CompletableFuture<Void> done) {
    }

    LogWriter(FileChannel channel, FsyncPolicy policy) {
        this.channel = channel;
        this.policy = policy;
        this.flusher = Thread.ofPlatform().daemon().name("cachegrid-log-flusher").start(this::flushLoop);
    }

    /**
     * Appends one record ({@link RecordFormat#encode}); called under the changed key's segment lock, so the records
     * of one key are in the order of its changes.
     */
    void append(byte type, long version, long deadlineMillis, byte[] source, int from, int to, int keyLength,
                int tagLength) {
        long size = RecordFormat.size(to - from);
        lock.lock();
        try {
            if (failure != null || closing) {
                return; // nothing can be made durable any more; awaitDurable reports it
            }
            while (length > 0 && length + size > MAX_PENDING_BYTES && failure == null) {
                room.awaitUninterruptibly();
            }
            if (length + size > pending.length) {
                long grown = Math.max(length + size, Math.min((long) pending.length * 2, Integer.MAX_VALUE - 64));
                pending = Arrays.copyOf(pending, (int) grown);
            }
            length = RecordFormat.encode(pending, length, type, version, deadlineMillis, source, from, to, keyLength,
                                         tagLength);
            appended += size;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes appended so far: the position a caller waits for after its change was applied. */
    long appended() {
        return appended;
    }

    /**
     * Waits until everything appended before this call is durable as the policy defines it (fsynced for always,
     * written to the OS otherwise).
     *
     * @throws PersistenceException when the log failed or the wait took longer than 30 s
     */
    void awaitDurable() {
        long target = appended;
        if (reached() >= target) {
            checkFailure();
            return;
        }
        long deadline = System.nanoTime() + AWAIT_TIMEOUT_NANOS;
        progressLock.lock();
        try {
            while (reached() < target) {
                checkFailure();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new PersistenceException("the log did not become durable within 30 s");
                }
                progress.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PersistenceException("interrupted while waiting for the log");
        } finally {
            progressLock.unlock();
        }
        checkFailure();
    }

    private long reached() {
        return policy == FsyncPolicy.ALWAYS ? synced : written;
    }

    private void checkFailure() {
        if (failure != null) {
            throw new PersistenceException("the log cannot be written: " + failure.getMessage());
        }
    }

    /**
     * Makes {@code next} the segment for every record appended after this call; the records before it are written
     * to the current segment, which is fsynced and closed. Returns once that happened.
     */
    void rotate(FileChannel next) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (failure != null || closing) {
                next.close();
                throw new IOException("the log is " + (closing ? "closed" : "failed"), failure);
            }
            rotation = new Rotation(next, length, done);
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("rotation failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rotating the log", e);
        } catch (TimeoutException e) {
            throw new IOException("the log flusher did not rotate within 60 s", e);
        }
    }

    private void flushLoop() {
        while (true) {
            byte[] batch;
            int size;
            long end;
            Rotation rotate;
            boolean stop;
            lock.lock();
            try {
                while (length == 0 && rotation == null && !closing) {
                    if (policy == FsyncPolicy.EVERYSEC && written != synced) {
                        long wait = lastSyncNanos + EVERYSEC_NANOS - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        work.awaitNanos(wait);
                    } else {
                        work.await();
                    }
                }
                batch = pending;
                size = length;
                end = appended;
                rotate = rotation;
                stop = closing;
                rotation = null;
                pending = spare;
                length = 0;
                room.signalAll();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            spare = batch;
            try {
                flush(batch, size, end, rotate);
            } catch (IOException | RuntimeException e) {
                fail(e instanceof IOException io ? io : new IOException(e));
                if (rotate != null) {
                    rotate.done.completeExceptionally(e);
                }
            }
            if (stop && failure == null) {
                try {
                    channel.force(false);
                    synced = end;
                } catch (IOException e) {
                    fail(e);
                }
            }
            signalProgress();
            if (stop || failure != null) {
                return;
            }
        }
    }

    private void flush(byte[] batch, int size, long end, Rotation rotate) throws IOException {
        int from = 0;
        if (rotate != null) {
            Io.writeFully(channel, ByteBuffer.wrap(batch, 0, rotate.splitAt));
            channel.force(false);
            channel.close();
            channel = rotate.next;
            from = rotate.splitAt;
            long before = end - (size - rotate.splitAt);
            written = before;
            synced = before;
            rotate.done.complete(null);
        }
        if (size > from) {
            Io.writeFully(channel, ByteBuffer.wrap(batch, from, size - from));
        }
        written = end;
        long now = System.nanoTime();
        if (policy == FsyncPolicy.ALWAYS || (policy == FsyncPolicy.EVERYSEC && now - lastSyncNanos >= EVERYSEC_NANOS)) {
            if (synced != end) {
                channel.force(false);
                long after = System.nanoTime();
                lastFsyncNanos = after - now;
                fsyncs++;
                synced = end;
            }
            lastSyncNanos = now;
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, "Writing the persistence log failed; writes are no longer "
                    + "acknowledged as durable (they get 503) until the node is restarted: " + e);
        }
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void signalProgress() {
        progressLock.lock();
        try {
            progress.signalAll();
        } finally {
            progressLock.unlock();
        }
    }

    /** Duration of the last fsync in nanoseconds; -1 before the first. */
    long lastFsyncNanos() {
        return lastFsyncNanos;
    }

    long fsyncs() {
        return fsyncs;
    }

    boolean failed() {
        return failure != null;
    }

    /** Writes and fsyncs what was appended, stops the flusher and closes the segment. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Closing the log segment failed: " + e);
        }
    }
}
