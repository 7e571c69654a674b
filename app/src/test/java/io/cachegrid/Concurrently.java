package io.cachegrid;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs the same work on several client threads at once and rethrows the first failure (tests of races). */
public final class Concurrently {

    /** One thread's share of the work; {@code thread} is 0 .. threads-1. */
    @FunctionalInterface
    public interface Work {
        void run(int thread) throws Exception;
    }

    private Concurrently() {
    }

    /** Starts {@code threads} threads running {@code work} and waits for all of them (two minutes at most). */
    public static void run(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    work.run(id);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
