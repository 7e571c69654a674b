package io.cachegrid.fault;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Why: after a fault the cluster needs a while to notice and repair; tests poll for the state they expect, never
 * sleep a guessed time, and give up with the last reason after a deadline so that no test can hang.
 */
final class Await {

    private Await() {
    }

    /**
     * Polls {@code problem} (null means the condition holds) every 250 ms until it holds; after {@code deadline} it
     * fails with the last problem seen.
     */
    static void until(Duration deadline, Supplier<String> problem, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        String last = problem.get();
        while (last != null) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what
                        + ": " + last);
            }
            pause(250);
            last = problem.get();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
