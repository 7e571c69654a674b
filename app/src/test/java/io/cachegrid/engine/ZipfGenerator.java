package io.cachegrid.engine;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^exponent, the popularity skew of real
 * cache traffic, by binary search in the precomputed cumulative distribution. Seeded, so runs repeat.
 */
final class ZipfGenerator {
    private final double[] cumulative;
    private final Random random;

    ZipfGenerator(int n, double exponent, long seed) {
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            sum += 1.0 / Math.pow(rank + 1, exponent);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < n; rank++) {
            cumulative[rank] /= sum;
        }
        random = new Random(seed);
    }

    int next() {
        int found = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(found >= 0 ? found : -found - 1, cumulative.length - 1);
    }
}
