package io.cachegrid.persist;

import java.util.function.LongSupplier;

import io.cachegrid.engine.ChangeListener;

/**
 * Why: the engine reports changes in its own terms (stored arrays, ticker deadlines); the log needs records with
 * wall-clock deadlines, which survive a restart (the ticker does not). Turns each change into one
 * {@link RecordFormat} record appended to the {@link LogWriter}, under the engine's segment lock, so the log holds a
 * key's changes in the order they were applied. A value is logged as the engine stores it, and a compressed one as
 * such ({@link RecordFormat#SET_COMPRESSED}), so a replay stores it back in that form whatever the threshold then.
 */
final class ChangeRecorder implements ChangeListener {

    private final LogWriter log;
    private final LongSupplier wallMillis;

    ChangeRecorder(LogWriter log, LongSupplier wallMillis) {
        this.log = log;
        this.wallMillis = wallMillis;
    }

    @Override
    public void stored(byte[] data, int keyOffset, int keyLength, int valueOffset, boolean compressed, long version,
                       long deadline, long now) {
        log.append(RecordFormat.setType(compressed), version, wallDeadline(deadline, now, wallMillis), data,
                   keyOffset, data.length, keyLength, valueOffset - keyOffset - keyLength);
    }

    @Override
    public void deleted(byte[] key, long version) {
        log.append(RecordFormat.DELETE, version, 0, key, 0, key.length, key.length, 0);
    }

    /** A versioned clear: one record holding its epoch, which a replay applies as the same clear. */
    @Override
    public void cleared(long epoch) {
        log.append(RecordFormat.CLEAR, epoch, 0, RecordFormat.NOTHING, 0, 0, 0, 0);
    }

    /**
     * A ticker deadline as epoch milliseconds (0: none), rounded up so an entry never outlives its ttl after a
     * restart by more than the clock's own error.
     */
    static long wallDeadline(long deadline, long now, LongSupplier wallMillis) {
        if (deadline == Long.MAX_VALUE) {
            return 0;
        }
        long leftMillis = Math.max(0, deadline - now + 999_999) / 1_000_000;
        return Math.max(1, wallMillis.getAsLong() + leftMillis);
    }
}
