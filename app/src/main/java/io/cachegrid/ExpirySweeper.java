package io.cachegrid;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.cachegrid.engine.CacheEngine;

/**
 * Removes expired entries every {@code CACHEGRID_CLEANUP_INTERVAL} seconds, so keys nobody reads again still leave
 * and free their memory. Reads expire lazily as well; the engine's expiry index makes each sweep cost O(expired).
 */
final class ExpirySweeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExpirySweeper.class.getName());

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cachegrid-expiry-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    ExpirySweeper(CacheEngine engine, double intervalSeconds) {
        long periodMicros = Math.max(1, Math.round(intervalSeconds * 1_000_000));
        scheduler.scheduleWithFixedDelay(() -> sweep(engine), periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    private static void sweep(CacheEngine engine) {
        try {
            int removed = engine.expireDue();
            if (removed > 0) {
                LOG.log(System.Logger.Level.DEBUG, "Expired {0} entries", removed);
            }
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
