package io.cachegrid.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Why: checking hundreds of keys on every member one request at a time would take most of a test's time. */
final class Parallel {

    private static final int THREADS = 8;

    private Parallel() {
    }

    /** Runs {@code work} for every item on a few threads and waits for all (a minute at most). */
    static <T> void forEach(Collection<T> items, Consumer<T> work) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.accept(item)));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("checking the keys failed", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
