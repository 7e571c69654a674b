package io.cachegrid.engine;

/**
 * The tuner of W-TinyLFU's window size: hill climbing on the hit rate, as in Einziger, Eytan, Friedman and Manes,
 * "Adaptive Software Cache Management" (Middleware 2018).
 *
 * <p>The climber watches requests in samples of a fixed number ({@code sampleSize}, 10× the capacity) and, at the
 * end of each, compares the sample's hit rate with the previous one. If it did not get worse, the last move helped
 * (or did no harm): move again the same way; if it got worse, move back. The move is a share of the cache
 * ({@link #INITIAL_STEP} at first) that shrinks by {@link #STEP_DECAY} at every sample, so the split settles; a sharp
 * change of the hit rate ({@link #RESTART_THRESHOLD}), which means the workload changed, restores the full step so
 * the climber can travel again. Steps are signed: positive grows the window (recency), negative grows the main
 * space (frequency). The first move is a growth (Caffeine shrinks first): measured on a working set that shifts
 * every 5× the capacity, shrinking the window to its floor first starved the cache of new keys (one phase fell
 * to a 4% hit rate) before the climber turned; on frequency-biased traffic growing first costs one sample, after
 * which the drop in the hit rate turns the climber back.
 *
 * <p>The climber only decides; the policy applies the move, clamps it to its bounds and moves entries. O(1) per
 * request, no allocation.
 */
final class HillClimber {
    /** The first step and the step after a restart, as a share of the cache's capacity. */
    static final double INITIAL_STEP = 0.0625;
    /** Each sample's step is this fraction of the previous one's. */
    static final double STEP_DECAY = 0.98;
    /** A change of the hit rate by this much (absolute, 0..1) between samples restarts the step. */
    static final double RESTART_THRESHOLD = 0.05;
    /** Requests per sample, per entry of capacity. */
    static final int SAMPLE_REQUESTS_PER_ENTRY = 10;

    private final long sampleSize;
    private long hits;
    private long misses;
    private double previousHitRate;
    private double step = INITIAL_STEP;

    /** @param capacity the number of entries the cache holds */
    HillClimber(long capacity) {
        this.sampleSize = SAMPLE_REQUESTS_PER_ENTRY * Math.max(1, capacity);
    }

    /**
     * Counts one request; when it completes a sample, returns the signed change of the window's share of the cache
     * that the sample calls for (a share of the capacity, between -{@link #INITIAL_STEP} and +{@link #INITIAL_STEP}),
     * else 0.
     */
    double record(boolean hit) {
        if (hit) {
            hits++;
        } else {
            misses++;
        }
        return hits + misses < sampleSize ? 0 : adjust();
    }

    /** Discards the current sample (the cache is warming up, or was cleared); the direction and step remain. */
    void restartSample() {
        hits = 0;
        misses = 0;
    }

    double step() {
        return step;
    }

    long sampled() {
        return hits + misses;
    }

    void checkInvariants() {
        Invariants.check(hits >= 0 && misses >= 0 && hits + misses < sampleSize,
                         "climber sample " + hits + " hits, " + misses + " misses of " + sampleSize);
        Invariants.check(Math.abs(step) <= INITIAL_STEP && step != 0, "climber step " + step);
        Invariants.check(previousHitRate >= 0 && previousHitRate <= 1, "climber hit rate " + previousHitRate);
    }

    private double adjust() {
        double hitRate = (double) hits / (hits + misses);
        double change = hitRate - previousHitRate;
        double move = change >= 0 ? step : -step;
        step = Math.abs(change) >= RESTART_THRESHOLD ? Math.copySign(INITIAL_STEP, move) : move * STEP_DECAY;
        previousHitRate = hitRate;
        restartSample();
        return move;
    }
}
