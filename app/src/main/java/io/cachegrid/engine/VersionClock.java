package io.cachegrid.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Why: every write needs a version that orders it after every earlier write, on this node and, for the cluster
 * (issue 10), across nodes whose clocks disagree a little. A hybrid logical clock (Kulkarni et al., "Logical
 * Physical Clocks", 2014, in its compact single-long form) gives both: a version is the wall clock in
 * milliseconds shifted left by 16 bits, or the last version plus one if that is not larger. So versions are
 * strictly increasing even if the wall clock steps back (they then count on from the last one), they stay close
 * to real time (65,536 writes per millisecond before the counter borrows from the next millisecond), and
 * {@link #observe} moves this clock past a version seen from another node, so a later local write is newer.
 *
 * <p>One clock per engine; {@link #next} is one atomic update of an AtomicLong (the engine takes it under the
 * key's segment lock, so the versions of one key increase in the order its writes happen).
 */
public final class VersionClock {
    /** Bits of a version below the wall-clock milliseconds: the logical counter. */
    public static final int COUNTER_BITS = 16;

    private final LongSupplier wallMillis;
    private final AtomicLong last = new AtomicLong();

    /** A clock on {@link System#currentTimeMillis()}. */
    public VersionClock() {
        this(System::currentTimeMillis);
    }

    /** A clock on the given wall clock (milliseconds since the epoch); tests step it back and forth. */
    public VersionClock(LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    /**
     * A new version: larger than every version this clock has given or observed, and at least wall << 16. One
     * atomic add, which never fails and retries as a CAS does when two threads write at once (the clock is one
     * shared word: with two writing threads, retried CASes took about a tenth of a put), and no read of the word
     * before it (a read then a write moved its cache line between the cores twice). Only the first write of a
     * millisecond then moves the clock up to the wall, with a CAS; the numbers skipped are never handed out.
     */
    public long next() {
        long wall = wallMillis.getAsLong() << COUNTER_BITS;
        long taken = last.incrementAndGet();                   // > every version given or observed before
        while (taken < wall) {                                 // the first write of a new millisecond
            if (last.compareAndSet(taken, wall)) {
                return wall;                                   // nobody took anything after `taken` < wall
            }
            taken = last.incrementAndGet();
        }
        return taken;
    }

    /** Advances this clock to at least {@code remote}, so every later {@link #next} is larger; returns the clock. */
    public long observe(long remote) {
        return last.accumulateAndGet(remote, Math::max);
    }

    /** The last version given or observed; 0 before any. Every later {@link #next} is larger. */
    public long current() {
        return last.get();
    }

    /** The wall-clock milliseconds part of a version. */
    public static long millisOf(long version) {
        return version >>> COUNTER_BITS;
    }
}
