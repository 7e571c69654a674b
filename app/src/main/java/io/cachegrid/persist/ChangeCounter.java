package io.cachegrid.persist;

import java.util.concurrent.atomic.LongAdder;

import io.cachegrid.engine.ChangeListener;

/**
 * Why: in mode snapshot (no log) an idle node should not rewrite the same snapshot every interval; counting the
 * engine's changes (one LongAdder increment each) tells the {@link Snapshotter} whether anything changed since.
 */
final class ChangeCounter implements ChangeListener {

    private final LongAdder changes = new LongAdder();

    long count() {
        return changes.sum();
    }

    @Override
    public void stored(byte[] data, int keyOffset, int keyLength, int valueOffset, boolean compressed, long version,
                       long deadline, long now) {
        changes.increment();
    }

    @Override
    public void cleared(long epoch) {
        changes.increment();
    }

    @Override
    public void deleted(byte[] key, long version) {
        changes.increment();
    }
}
