package io.cachegrid.loadtest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.cachegrid.engine.CacheEngine;

/**
 * Runs load tests against the live engine in the background, one at a time, and keeps the latest results.
 * <p>
 * Each run works on its own key space ({@code loadtest:<run>:<n>}) with a short ttl, so it exercises the real
 * engine (its counters and eviction included) without overwriting user keys, and its keys leave by themselves.
 * Every operation is timed individually; percentiles come from the sorted latencies.
 */
public final class LoadTester implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LoadTester.class.getName());

    /** Keys a run cycles through: small enough to hit, large enough to spread over segments. */
    private static final int KEY_SPACE = 1000;
    /** Load-test keys expire after this many seconds, so a run leaves no permanent trace. */
    private static final long KEY_TTL_NANOS = TimeUnit.SECONDS.toNanos(300);
    /** How many finished runs are kept for {@code GET /test/load}. */
    private static final int HISTORY = 20;
    /** A JSON value of 64 bytes, a typical small cache entry. */
    private static final byte[] VALUE = ("{\"payload\":\"" + "x".repeat(50) + "\"}").getBytes(StandardCharsets.UTF_8);

    private final CacheEngine engine;
    private final int workers;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Deque<LoadTestRun> runs = new ArrayDeque<>();
    private LoadTestRun running;

    public LoadTester(CacheEngine engine) {
        this.engine = engine;
        this.workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts a run unless one is already running.
     *
     * @return the started run, or empty when another run is still going
     */
    public synchronized Optional<LoadTestRun> start(OperationType type, int operations) {
        if (running != null && running.status() == LoadTestRun.Status.RUNNING) {
            return Optional.empty();
        }
        LoadTestRun run = new LoadTestRun("lt-" + sequence.incrementAndGet(), type, operations,
                System.currentTimeMillis() / 1000.0);
        running = run;
        runs.addFirst(run);
        while (runs.size() > HISTORY) {
            runs.removeLast();
        }
        executor.submit(() -> execute(run));
        return Optional.of(run);
    }

    public synchronized Optional<LoadTestRun> find(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Latest first. */
    public synchronized List<LoadTestRun> recent() {
        return List.copyOf(runs);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void execute(LoadTestRun run) {
        try {
            String prefix = "loadtest:" + run.id() + ":";
            if (run.type() != OperationType.SET) {
                for (int i = 0; i < Math.min(KEY_SPACE, run.operations()); i++) {
                    engine.put(prefix + i, VALUE, KEY_TTL_NANOS); // reads should find something
                }
            }
            int perWorker = (run.operations() + workers - 1) / workers;
            List<Future<long[]>> parts = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                int count = Math.max(0, Math.min(perWorker, run.operations() - w * perWorker));
                long seed = w;
                parts.add(executor.submit(() -> work(run, prefix, count, seed)));
            }
            long[] latencies = new long[run.operations()];
            int filled = 0;
            for (Future<long[]> part : parts) {
                long[] measured = part.get();
                System.arraycopy(measured, 0, latencies, filled, measured.length);
                filled += measured.length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            run.complete(seconds, percentiles(latencies));
            LOG.log(System.Logger.Level.INFO, "Load test {0}: {1} {2} ops in {3} s", run.id(), run.operations(),
                    run.type().configName(), seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.fail("interrupted");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Load test " + run.id() + " failed", e);
            run.fail(e.getClass().getSimpleName());
        }
    }

    private long[] work(LoadTestRun run, String prefix, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            String key = prefix + random.nextInt(KEY_SPACE);
            boolean read = switch (run.type()) {
                case GET -> true;
                case SET -> false;
                case MIXED -> random.nextDouble() < OperationType.MIXED_READ_SHARE;
            };
            long t0 = System.nanoTime();
            if (read) {
                engine.get(key);
            } else {
                engine.put(key, VALUE, KEY_TTL_NANOS);
            }
            latencies[i] = System.nanoTime() - t0;
            if ((i & 1023) == 1023) {
                run.addCompleted(1024);
            }
        }
        run.addCompleted(count & 1023);
        return latencies;
    }

    static LoadTestRun.Latency percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LoadTestRun.Latency(ms(at(sorted, 0.50)), ms(at(sorted, 0.95)), ms(at(sorted, 0.99)),
                ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile. */
    private static long at(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
