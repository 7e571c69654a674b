package io.cachegrid.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.cachegrid.engine.CacheEngine;

/**
 * Why: the log alone grows without bound and makes every start replay all history; a snapshot taken in the
 * background bounds both, without stopping writes. One thread checks twice a second whether one is due: every
 * {@code CACHEGRID_SNAPSHOT_INTERVAL} seconds (modes snapshot and both), or, when the log is on, once the log since
 * the last snapshot is {@link #REWRITE_MIN_BYTES} or more and at least twice the last snapshot (Redis's
 * {@code auto-aof-rewrite} defaults), which is the log rewrite of mode log.
 *
 * <p><b>Why a snapshot plus the log covers every acknowledged write at every moment.</b> A snapshot of generation
 * N first rotates the log: records appended from then on go to segment N, and segment N-1 is written out and
 * fsynced. Only then does it read the engine, a segment at a time, so each change is either in what it read (it
 * happened before that segment was read) or in segment N (it happened after the rotation), or both. Records that
 * both hold are harmless: a set applies only over an older version, and the log's later records of a key are
 * replayed after it ({@link RecordApplier}). Snapshot N is written to a temporary file, fsynced and renamed, and the
 * directory fsynced; until then a start uses snapshot N-1 (or none) and replays segments N-1 (and earlier) and N.
 * After it, snapshots and segments older than the previous snapshot are deleted: the previous snapshot and the
 * segments since it stay, so a start can fall back to it if the newest one is found damaged. A crash at any point
 * leaves either the old pair or the new pair complete.
 */
final class Snapshotter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Snapshotter.class.getName());
    /** The log must reach this size before a size-triggered rewrite (Redis: auto-aof-rewrite-min-size 64mb). */
    static final long REWRITE_MIN_BYTES = 64L << 20;
    /** How often the thread checks whether a snapshot is due. */
    private static final long CHECK_MILLIS = 500;

    private final CacheEngine engine;
    private final DataFiles files;
    private final PersistenceSettings settings;
    private final LogWriter log;
    private final LongSupplier wallMillis;
    private final LongSupplier changes;
    private final Thread thread;
    private volatile boolean closed;

    private long nextGeneration;
    private long base;
    /** {@link #changes} when the last snapshot began: nothing new since, nothing to snapshot. */
    private volatile long changesAtLastSnapshot = -1;
    private long lastStartNanos = System.nanoTime();
    private volatile long lastSnapshotMillis;
    private volatile long lastDurationNanos = -1;
    private volatile long lastEntries;
    private volatile long lastBytes;
    private volatile long snapshots;
    private volatile String lastError;

    /**
     * @param changes grows with every change (the log position, or a count of changes without a log): a periodic
     *                snapshot is skipped while it has not moved since the last one
     */
    Snapshotter(CacheEngine engine, DataFiles files, PersistenceSettings settings, LogWriter log, long base,
                long nextGeneration, LongSupplier wallMillis, LongSupplier changes) {
        this.engine = engine;
        this.files = files;
        this.settings = settings;
        this.log = log;
        this.base = base;
        this.nextGeneration = nextGeneration;
        this.wallMillis = wallMillis;
        this.changes = changes;
        if (base > 0) {
            try {
                lastBytes = Files.size(files.snapshot(base));
            } catch (IOException e) {
                lastBytes = 0;
            }
        }
        this.thread = Thread.ofPlatform().daemon().name("cachegrid-snapshot").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(CHECK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed && due()) {
                snapshot();
            }
        }
    }

    private boolean due() {
        if (settings.mode().periodicSnapshots()
                && System.nanoTime() - lastStartNanos >= settings.snapshotIntervalNanos()) {
            // an idle node (no change since the last snapshot) has nothing new to save
            return changes.getAsLong() != changesAtLastSnapshot;
        }
        if (log != null) {
            long logBytes = files.logBytes(base);
            return logBytes >= REWRITE_MIN_BYTES && logBytes >= 2 * lastBytes;
        }
        return false;
    }

    /** Takes one snapshot now (and compacts the log); false if it failed (logged, retried when next due). */
    synchronized boolean snapshot() {
        long started = System.nanoTime();
        lastStartNanos = started;
        long generation = nextGeneration++;
        long changesBefore = changes.getAsLong();
        try {
            if (log != null) {
                log.rotate(files.createLog(generation));
            }
            SnapshotWriter.Written written = SnapshotWriter.write(engine, files.snapshotTemp(generation),
                    files.snapshot(generation), files, wallMillis);
            long keep = base; // the snapshot before this one, and the log since it, stay as a fallback
            base = generation;
            deleteOlderThan(keep);
            lastDurationNanos = System.nanoTime() - started;
            lastSnapshotMillis = wallMillis.getAsLong();
            lastEntries = written.entries();
            lastBytes = written.bytes();
            snapshots++;
            changesAtLastSnapshot = changesBefore;
            lastError = null;
            LOG.log(System.Logger.Level.DEBUG, "Snapshot {0}: {1} entries, {2} bytes in {3} ms", generation,
                    written.entries(), written.bytes(), TimeUnit.NANOSECONDS.toMillis(lastDurationNanos));
            return true;
        } catch (IOException | RuntimeException e) {
            lastError = e.toString();
            LOG.log(System.Logger.Level.WARNING, "Snapshot " + generation + " failed (the log and the previous"
                    + " snapshot still cover every write; retried when next due): " + e);
            return false;
        }
    }

    private void deleteOlderThan(long keep) throws IOException {
        for (long generation : files.snapshots()) {
            if (generation < keep) {
                Files.deleteIfExists(files.snapshot(generation));
            }
        }
        for (long generation : files.logs()) {
            if (generation < keep) {
                Files.deleteIfExists(files.log(generation));
            }
        }
        files.syncDirectory();
    }

    long base() {
        return base;
    }

    long lastSnapshotMillis() {
        return lastSnapshotMillis;
    }

    long lastDurationNanos() {
        return lastDurationNanos;
    }

    long lastEntries() {
        return lastEntries;
    }

    long lastBytes() {
        return lastBytes;
    }

    long snapshots() {
        return snapshots;
    }

    String lastError() {
        return lastError;
    }

    /** Stops the thread; in mode snapshot (no log) takes a last snapshot, so a clean stop loses nothing. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log == null) {
            snapshot();
        }
    }
}
