package io.cachegrid.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks 0..n-1 (rank 0 most popular, P(rank r) proportional to 1/(r+1)^s), drawn by binary search
 * over the precomputed cumulative distribution. Deterministic for a given seed; meant for precomputing key arrays,
 * never for use inside a measured loop.
 */
final class Zipf {
    private final double[] cdf;
    private final SplittableRandom random;

    Zipf(int n, double exponent, long seed) {
        cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, exponent);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        random = new SplittableRandom(seed);
    }

    int next() {
        int at = Arrays.binarySearch(cdf, random.nextDouble());
        int rank = at >= 0 ? at : -at - 1;
        return Math.min(rank, cdf.length - 1);
    }

    /**
     * Ranks are scattered over the key space by a fixed odd multiplier so that popular keys are not also the
     * lexicographically smallest ones (which would favour any structure ordered by key).
     */
    static int scatter(int rank, int n) {
        return (int) ((rank * 0x9E3779B1L) % n);
    }
}
