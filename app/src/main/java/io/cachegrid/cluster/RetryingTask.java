package io.cachegrid.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Why: rebalancing and anti-entropy are passes over everything a node holds that must run after a trigger, one at
 * a time, and must never stop for good: a pass that fails in any way, an unreachable peer or an
 * {@link OutOfMemoryError} alike (a node that died in its rebalancing thread once left a joining member empty
 * while both reported healthy), is logged and run again after a backoff that doubles from {@code firstBackoff} up
 * to {@code maxBackoff}, until one succeeds. Triggers that arrive while a pass is queued are merged into it (it
 * will see the newest view).
 */
final class RetryingTask implements AutoCloseable {

    /** One pass; true when it completed, false (or any throwable) to have it retried. */
    @FunctionalInterface
    interface Pass {
        boolean run() throws Exception;
    }

    private static final System.Logger LOG = System.getLogger(RetryingTask.class.getName());

    private final String name;
    private final Pass pass;
    private final long firstBackoffNanos;
    private final long maxBackoffNanos;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile int failures;

    RetryingTask(String name, Pass pass, Duration firstBackoff, Duration maxBackoff) {
        this.name = name;
        this.pass = pass;
        this.firstBackoffNanos = firstBackoff.toNanos();
        this.maxBackoffNanos = Math.max(firstBackoffNanos, maxBackoff.toNanos());
        this.worker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("cachegrid-" + name).factory());
    }

    /** Runs a pass soon, unless one is queued already. */
    void request() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(this::runOnce);
        } catch (RejectedExecutionException e) {
            queued.set(false); // closing
        }
    }

    /** Also runs a pass every {@code period}. */
    void every(Duration period) {
        try {
            worker.scheduleWithFixedDelay(this::request, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Whether the last pass failed (a retry is scheduled). */
    boolean lastFailed() {
        return failures > 0;
    }

    private void runOnce() {
        queued.set(false);
        boolean done;
        try {
            done = pass.run();
        } catch (Throwable e) { // OutOfMemoryError included: this thread must live on and retry
            done = false;
            warn(e);
        }
        if (done) {
            failures = 0;
            return;
        }
        int failed = ++failures;
        long delay = Math.min(maxBackoffNanos, firstBackoffNanos << Math.min(failed - 1, 20));
        try {
            worker.schedule(this::request, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void warn(Throwable e) {
        try {
            LOG.log(System.Logger.Level.WARNING, name + " failed, retrying", e);
        } catch (Throwable ignored) { // logging itself may fail right after an OutOfMemoryError
            // nothing else to do: the retry is what matters
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
