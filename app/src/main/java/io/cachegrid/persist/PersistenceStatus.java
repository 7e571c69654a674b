package io.cachegrid.persist;

/**
 * What {@code /stats}, {@code /metrics} and the console show about persistence. Times in milliseconds; -1 where
 * nothing happened yet.
 *
 * @param mode                     off, log, snapshot or both
 * @param fsync                    always, everysec or no
 * @param logBytes                 bytes of the log segments on disk
 * @param lastSnapshotMillis       when the last snapshot finished, epoch milliseconds (-1: none since start)
 * @param lastSnapshotDurationMillis how long it took
 * @param lastSnapshotEntries      entries it holds
 * @param lastSnapshotBytes        its size
 * @param snapshots                snapshots taken since start
 * @param lastFsyncMicros          duration of the last log fsync in microseconds
 * @param fsyncs                   log fsyncs since start
 * @param replayMillis             time the start spent loading the snapshot and replaying the log
 * @param loadedSnapshotEntries    entries loaded from the snapshot at start
 * @param replayedRecords          log records replayed at start
 * @param healthy                  false once the log could not be written (writes are then answered 503)
 */
public record PersistenceStatus(String mode, String fsync, long logBytes, long lastSnapshotMillis,
                                long lastSnapshotDurationMillis, long lastSnapshotEntries, long lastSnapshotBytes,
                                long snapshots, long lastFsyncMicros, long fsyncs, long replayMillis,
                                long loadedSnapshotEntries, long replayedRecords, boolean healthy) {

    /** The status of a node with persistence off. */
    public static final PersistenceStatus OFF = new PersistenceStatus("off", "-", 0, -1, -1, 0, 0, 0, -1, 0, -1, 0, 0,
                                                                      true);

    public boolean enabled() {
        return !"off".equals(mode);
    }
}
