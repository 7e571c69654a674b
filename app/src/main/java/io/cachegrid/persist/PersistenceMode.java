package io.cachegrid.persist;

import java.util.Locale;

/**
 * Why: {@code CACHEGRID_PERSISTENCE} picks what is kept on disk, as Redis users choose between AOF and RDB: nothing
 * ({@link #OFF}, the default: the node behaves exactly as without this package), an append-only log of every change
 * ({@link #LOG}, rewritten into a base snapshot when it grows), periodic snapshots only ({@link #SNAPSHOT}: what
 * changed since the last one is lost on a crash), or both ({@link #BOTH}: the log, compacted by each snapshot).
 */
public enum PersistenceMode {
    OFF, LOG, SNAPSHOT, BOTH;

    /** Whether every change is appended to the log. */
    public boolean logs() {
        return this == LOG || this == BOTH;
    }

    /** Whether a snapshot is taken every {@code CACHEGRID_SNAPSHOT_INTERVAL}. */
    public boolean periodicSnapshots() {
        return this == SNAPSHOT || this == BOTH;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code off|log|snapshot|both}, case-insensitively. */
    public static PersistenceMode parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "off", "none", "false" -> OFF;
            case "log", "aof" -> LOG;
            case "snapshot", "rdb" -> SNAPSHOT;
            case "both" -> BOTH;
            default -> throw new IllegalArgumentException("unknown persistence mode");
        };
    }
}
