package io.cachegrid.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Why: a member that was frozen (SIGSTOP, a stalled VM, a long GC pause) sees no change of members when it wakes
 * up: its own view still has everyone up, so nothing would tell it that the others wrote, deleted and cleared
 * without it, and it would serve its old copies until the next periodic anti-entropy pass. A freeze stops every
 * thread of the process alike, so a ticker that finds far more time passed between two of its ticks than it asked
 * for has been frozen; the node then treats that like a change of members (anti-entropy at once, reads checked
 * against the other members until it completed). A GC pause that long is the same thing for this purpose.
 */
final class PauseDetector implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PauseDetector.class.getName());

    /** How often the ticker looks at the clock. */
    static final Duration TICK = Duration.ofMillis(100);

    private final long thresholdNanos;
    private final Runnable onPause;
    private final LongSupplier clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cachegrid-pause-detector").factory());
    private volatile long last;

    /** @param threshold a gap between ticks longer than this is a pause; {@code onPause} runs on the ticker */
    PauseDetector(Duration threshold, Runnable onPause) {
        this(threshold, onPause, System::nanoTime);
    }

    /** As above, on the given clock of nanoseconds (tests step it). */
    PauseDetector(Duration threshold, Runnable onPause, LongSupplier clock) {
        this.thresholdNanos = threshold.toNanos();
        this.onPause = onPause;
        this.clock = clock;
        this.last = clock.getAsLong();
    }

    void start() {
        last = clock.getAsLong();
        ticker.scheduleWithFixedDelay(this::tick, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Whether the ticker is overdue by more than the threshold right now: the process has just woken from a pause
     * and the ticker has not run yet (it will report the pause within a tick). A read asks this so that even the
     * requests served in the first moments after a freeze see it; a volatile read and a clock read.
     */
    boolean overdue() {
        return clock.getAsLong() - last > thresholdNanos;
    }

    /** One look at the clock (the ticker's, every {@link #TICK}). */
    void tick() {
        long now = clock.getAsLong();
        long gap = now - last;
        if (gap > thresholdNanos) {
            try {
                LOG.log(System.Logger.Level.WARNING, "this node was paused for {0} ms: comparing copies with the "
                        + "other members", TimeUnit.NANOSECONDS.toMillis(gap));
                onPause.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pause handling failed", e);
            }
        }
        last = now; // only now: until the pause is handled, overdue() tells every request of it
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
