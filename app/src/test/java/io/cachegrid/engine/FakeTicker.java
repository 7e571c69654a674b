package io.cachegrid.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand, so TTL tests never sleep. */
final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private volatile long advancePerRead;

    /** The time now; then it moves on by {@link #advanceOnEveryRead}'s step, if one is set. */
    @Override
    public long nanos() {
        return nanos.getAndAdd(advancePerRead);
    }

    /** From now on every read moves the clock by {@code step}: work that checks the time sees it pass. */
    void advanceOnEveryRead(long step) {
        advancePerRead = step;
    }

    void advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
    }

    void advanceNanos(long amount) {
        nanos.addAndGet(amount);
    }
}
