package io.cachegrid.persist;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.cachegrid.engine.CacheEngine;

/**
 * Why: one object for the rest of the server to start, ask and stop persistence with (issue 12). {@link #start}
 * locks the data directory (two nodes writing one directory would interleave their logs), rebuilds the engine from
 * it ({@link Recovery}), then, in modes log and both, opens a new log segment and makes the engine report every
 * change to it ({@link ChangeRecorder}, {@link LogWriter}), and starts the {@link Snapshotter}. A node with
 * persistence off never creates one: no thread, no file, no listener.
 */
public final class Persistence implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Persistence.class.getName());

    private final PersistenceSettings settings;
    private final CacheEngine engine;
    private final DataFiles files;
    private final FileChannel lockFile;
    private final LogWriter log;
    private final Snapshotter snapshotter;
    private final Recovery.Result recovered;

    private Persistence(PersistenceSettings settings, CacheEngine engine, DataFiles files, FileChannel lockFile,
                        LogWriter log, Snapshotter snapshotter, Recovery.Result recovered) {
        this.settings = settings;
        this.engine = engine;
        this.files = files;
        this.lockFile = lockFile;
        this.log = log;
        this.snapshotter = snapshotter;
        this.recovered = recovered;
    }

    /**
     * Loads the data directory into {@code engine} (which must be empty and not yet serving) and starts persisting.
     *
     * @throws PersistenceException when the directory cannot be created, locked, read or written
     */
    public static Persistence start(PersistenceSettings settings, CacheEngine engine) {
        return start(settings, engine, System::currentTimeMillis);
    }

    static Persistence start(PersistenceSettings settings, CacheEngine engine, LongSupplier wallMillis) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("persistence is off");
        }
        DataFiles files = new DataFiles(settings.dataDir());
        FileChannel lockFile = null;
        LogWriter log = null;
        try {
            Files.createDirectories(files.dir());
            lockFile = lock(files);
            Recovery.Result recovered = Recovery.run(engine, files, wallMillis);
            long next = recovered.nextGeneration();
            LongSupplier changes;
            if (settings.mode().logs()) {
                log = new LogWriter(files.createLog(next), settings.fsync());
                next++;
                engine.listen(new ChangeRecorder(log, wallMillis));
                changes = log::appended;
            } else {
                ChangeCounter counter = new ChangeCounter();
                engine.listen(counter);
                changes = counter::count;
            }
            Snapshotter snapshotter = new Snapshotter(engine, files, settings, log, recovered.base(), next,
                                                      wallMillis, changes);
            LOG.log(System.Logger.Level.INFO, "Persistence {0} (fsync {1}) in {2}: loaded {3} entries from the"
                    + " snapshot and replayed {4} log records in {5} ms; {6} entries now, {7} expired while down",
                    settings.mode().configName(), settings.fsync().configName(), files.dir().toAbsolutePath(),
                    recovered.snapshotEntries(), recovered.logRecords(),
                    TimeUnit.NANOSECONDS.toMillis(recovered.durationNanos()), engine.size(), recovered.expired());
            return new Persistence(settings, engine, files, lockFile, log, snapshotter, recovered);
        } catch (IOException e) {
            engine.listen(null);
            if (log != null) {
                log.close();
            }
            closeQuietly(lockFile);
            throw new PersistenceException("cannot use CACHEGRID_DATA_DIR " + files.dir().toAbsolutePath() + ": " + e);
        }
    }

    private static FileChannel lock(DataFiles files) throws IOException {
        FileChannel channel = FileChannel.open(files.dir().resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("another process uses it (lock file held)");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("another node in this process uses it");
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Waits until every change applied before this call is durable as {@code CACHEGRID_FSYNC} defines it; returns
     * at once without a log (mode snapshot).
     *
     * @throws PersistenceException when the log failed: the write must not be acknowledged
     */
    public void awaitDurable() {
        if (log != null) {
            log.awaitDurable();
        }
    }

    /** Takes a snapshot now (and compacts the log); false when it failed. */
    public boolean snapshot() {
        return snapshotter.snapshot();
    }

    /** The warnings the start logged about damage it found (empty when the directory was intact). */
    public List<String> startWarnings() {
        return recovered.warnings();
    }

    public PersistenceSettings settings() {
        return settings;
    }

    public PersistenceStatus status() {
        long lastFsync = log == null ? -1 : log.lastFsyncNanos();
        return new PersistenceStatus(settings.mode().configName(), settings.fsync().configName(),
                files.logBytes(0), snapshotter.snapshots() == 0 ? -1 : snapshotter.lastSnapshotMillis(),
                snapshotter.snapshots() == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(snapshotter.lastDurationNanos()),
                snapshotter.lastEntries(), snapshotter.lastBytes(), snapshotter.snapshots(),
                lastFsync < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(lastFsync), log == null ? 0 : log.fsyncs(),
                TimeUnit.NANOSECONDS.toMillis(recovered.durationNanos()), recovered.snapshotEntries(),
                recovered.logRecords(), log == null || !log.failed());
    }

    /** Stops the snapshots (mode snapshot: after a last one), then writes and fsyncs the log and closes it. */
    @Override
    public void close() {
        snapshotter.close();
        engine.listen(null);
        if (log != null) {
            log.close();
        }
        closeQuietly(lockFile);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases the lock either way
            }
        }
    }
}
