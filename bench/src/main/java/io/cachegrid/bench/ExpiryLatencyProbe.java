package io.cachegrid.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.EvictionPolicy;

/**
 * Read latency while the expiry sweep removes a mass of expired entries: loads N entries with a TTL and 100,000
 * without, moves the engine's clock past every deadline at once, then one thread reads the lasting keys (all
 * segments, at random) as fast as it can while the main thread sweeps as the server's sweeper does (a sweep,
 * and while entries are still due a 75 ms pause and another). Reports the reads' p50, p99, p99.9 and max latency
 * during the sweep, the sweep's duration and how much of it the reader spent in reads slower than 1 ms; first the
 * same for a 2 s control window with no sweep, the noise of the machine. A read slows down when its segment is
 * write-locked by the sweep, so the tail shows how long one lock hold lasts.
 *
 * <p>Usage: {@code ExpiryLatencyProbe [expiringEntries] [runs]}; prints one line per run. Source-compatible with
 * the engine before the sweep was bounded (its expireDue then removed everything in one call per segment).
 */
public final class ExpiryLatencyProbe {
    private static final int LASTING = 100_000;
    private static final long BACKLOG_PAUSE_MILLIS = 75;
    private static final int MAX_SAMPLES = 40_000_000;

    public static void main(String[] args) throws InterruptedException {
        int expiring = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] latencies = new int[MAX_SAMPLES];
        for (int run = 1; run <= runs; run++) {
            measure(run, expiring, latencies);
        }
    }

    private static void measure(int run, int expiring, int[] latencies) throws InterruptedException {
        AtomicLong offset = new AtomicLong();
        CacheEngine engine = new CacheEngine(new CacheSettings(2L * (expiring + LASTING), 1L << 40, EvictionPolicy.LRU,
                                                               0, () -> System.nanoTime() + offset.get()));
        byte[] value = new byte[32];
        for (int i = 0; i < LASTING; i++) {
            engine.put("lasting-" + i, value, 0);
        }
        for (int i = 0; i < expiring; i++) {
            engine.put("expiring-" + i, value, TimeUnit.MINUTES.toNanos(1));
        }
        System.gc();
        Reader reader = new Reader(engine, latencies);
        Thread thread = Thread.ofPlatform().name("reader").start(reader);
        Thread.sleep(2_000);                                 // the reader's warm-up, not recorded
        reader.recording = true;                             // the control: the same reads, no sweep (machine noise)
        Thread.sleep(2_000);
        reader.recording = false;
        Thread.sleep(10);                                    // lets a read in progress finish recording
        report("run " + run + " control, no sweep, 2000 ms", 2_000_000_000L, latencies, reader.takeSamples());
        offset.set(TimeUnit.HOURS.toNanos(1));               // every TTL entry is now due
        reader.recording = true;
        long start = System.nanoTime();
        while (engine.size() > LASTING) {
            engine.expireDue();
            if (engine.size() > LASTING) {
                Thread.sleep(BACKLOG_PAUSE_MILLIS);
            }
        }
        long sweepNanos = System.nanoTime() - start;
        reader.recording = false;
        reader.running = false;
        thread.join();
        report(String.format(Locale.ROOT, "run %d sweep of %,d expired, %.0f ms", run, expiring, sweepNanos / 1e6),
               sweepNanos, latencies, reader.takeSamples());
    }

    /** Percentiles, and the reads over 1 ms: how often and how long in all (the reader's stalls). */
    private static void report(String what, long windowNanos, int[] latencies, int n) {
        long slowNanos = 0;
        int slow = 0;
        for (int i = 0; i < n; i++) {
            if (latencies[i] > 1_000_000) {
                slow++;
                slowNanos += latencies[i];
            }
        }
        Arrays.sort(latencies, 0, n);
        System.out.printf(Locale.ROOT, "%s: %,d reads (%.2f M/s), p50 %.2f us, p99 %.2f us, p99.9 %.2f us,"
                          + " p99.99 %.1f us, max %.1f ms; %d reads over 1 ms, %.0f ms in them"
                          + " (%.0f%% of the window)%n",
                          what, n, n * 1e3 / windowNanos, percentile(latencies, n, 0.50),
                          percentile(latencies, n, 0.99), percentile(latencies, n, 0.999),
                          percentile(latencies, n, 0.9999), latencies[n - 1] / 1e6, slow, slowNanos / 1e6,
                          100.0 * slowNanos / windowNanos);
    }

    private static double percentile(int[] sorted, int n, double p) {
        return sorted[Math.min(n - 1, (int) (p * n))] / 1e3;
    }

    /** Reads random lasting keys; while {@code recording}, keeps each read's latency in nanoseconds. */
    private static final class Reader implements Runnable {
        private final CacheEngine engine;
        private final int[] latencies;
        volatile boolean recording;
        volatile boolean running = true;
        private volatile int samples;

        /** The samples recorded so far (call while not recording); starts a new window. */
        int takeSamples() {
            int n = samples;
            samples = 0;
            return n;
        }

        Reader(CacheEngine engine, int[] latencies) {
            this.engine = engine;
            this.latencies = latencies;
        }

        @Override
        public void run() {
            SplittableRandom random = new SplittableRandom(42);
            String[] keys = new String[LASTING];
            for (int i = 0; i < LASTING; i++) {
                keys[i] = "lasting-" + i;
            }
            while (running) {
                String key = keys[random.nextInt(LASTING)];
                long start = System.nanoTime();
                byte[] hit = engine.get(key);
                long took = System.nanoTime() - start;
                if (hit == null) {
                    throw new IllegalStateException("lost " + key);
                }
                if (recording && samples < latencies.length) {
                    latencies[samples++] = (int) Math.min(Integer.MAX_VALUE, took);
                }
            }
        }
    }
}
