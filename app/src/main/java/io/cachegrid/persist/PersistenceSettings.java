package io.cachegrid.persist;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the operator chose for persistence ({@code CACHEGRID_PERSISTENCE}, {@code CACHEGRID_DATA_DIR},
 * {@code CACHEGRID_FSYNC}, {@code CACHEGRID_SNAPSHOT_INTERVAL}).
 *
 * @param mode                    what is kept on disk
 * @param dataDir                 the directory of the log segments and snapshots (created at start)
 * @param fsync                   when log records are fsynced
 * @param snapshotIntervalSeconds seconds between snapshots (modes snapshot and both)
 */
public record PersistenceSettings(PersistenceMode mode, Path dataDir, FsyncPolicy fsync,
                                  double snapshotIntervalSeconds) {

    public PersistenceSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(fsync, "fsync");
        if (!(snapshotIntervalSeconds > 0)) {
            throw new IllegalArgumentException("snapshot interval must be > 0");
        }
    }

    /** Persistence off (the default). */
    public static PersistenceSettings off() {
        return new PersistenceSettings(PersistenceMode.OFF, Path.of("data"), FsyncPolicy.EVERYSEC, 300);
    }

    public boolean enabled() {
        return mode != PersistenceMode.OFF;
    }

    long snapshotIntervalNanos() {
        return (long) (snapshotIntervalSeconds * 1e9);
    }
}
