package io.cachegrid.persist;

import java.util.Locale;

/**
 * Why: how long an acknowledged write may live only in memory is the cost/safety dial of a log, and Redis users
 * know it as {@code appendfsync}. {@link #ALWAYS}: a write is answered after its record is fsynced (writers waiting
 * together share one fsync: group commit). {@link #EVERYSEC}: answered once the record is handed to the OS, fsynced
 * within about a second. {@link #NO}: handed to the OS, which writes it back when it likes.
 */
public enum FsyncPolicy {
    ALWAYS, EVERYSEC, NO;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code always|everysec|no}, case-insensitively. */
    public static FsyncPolicy parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no", "never" -> NO;
            default -> throw new IllegalArgumentException("unknown fsync policy");
        };
    }
}
