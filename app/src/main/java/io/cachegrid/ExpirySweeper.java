package io.cachegrid;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.ExpirySweep;

/**
 * Removes expired entries every {@code CACHEGRID_CLEANUP_INTERVAL} seconds, so keys nobody reads again still leave
 * and free their memory. Reads expire lazily as well; the engine's expiry index makes each sweep cost O(expired),
 * and the engine bounds each sweep, so a mass expiry is removed over several sweeps.
 */
final class ExpirySweeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExpirySweeper.class.getName());
    /** Pause between two sweeps of a backlog: three times the engine's 25 ms sweep budget. */
    private static final long BACKLOG_PAUSE_MILLIS = 75;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cachegrid-expiry-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    ExpirySweeper(CacheEngine engine, double intervalSeconds) {
        long periodMicros = Math.max(1, Math.round(intervalSeconds * 1_000_000));
        scheduler.scheduleWithFixedDelay(() -> sweep(engine), periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    /**
     * One bounded sweep, then more after a pause while it reports a backlog (a mass expiry): each sweep takes at
     * most the engine's time budget ({@code ExpiryCycle.BUDGET_NANOS}, 25 ms), so the pause keeps a backlog to
     * about a quarter of one core, as Redis's slow expire cycle, instead of waiting a whole interval.
     */
    private static void sweep(CacheEngine engine) {
        try {
            long removed = 0;
            ExpirySweep sweep = engine.expireDue();
            removed += sweep.removed();
            while (!sweep.done()) {
                Thread.sleep(BACKLOG_PAUSE_MILLIS);
                sweep = engine.expireDue();
                removed += sweep.removed();
            }
            if (removed > 0) {
                LOG.log(System.Logger.Level.DEBUG, "Expired {0} entries", removed);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();     // closing
        } catch (RuntimeException e) {
            // keep sweeping on the next tick; a failed sweep must not stop expiry for good
            LOG.log(System.Logger.Level.ERROR, "Expiry sweep failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
