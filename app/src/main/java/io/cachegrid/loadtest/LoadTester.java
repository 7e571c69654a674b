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
import io.cachegrid.engine.CacheSettings;

/**
 * Runs load tests in the background, one at a time, and keeps the latest results.
 * <p>
 * Why a scratch engine: a run on the live engine writes its own keys, which evict user entries once the cache is
 * full, and its hits, misses and sets land in {@code /stats}, {@code /metrics} and the console's hit ratio. So by
 * default ({@link Target#SCRATCH}) each run gets a fresh {@link CacheEngine} with the live engine's settings
 * (policy, item and memory limits, segment count), measures that, and drops it when it ends. {@link Target#LIVE}
 * is the documented opt-in for measuring the engine that serves users.
 * <p>
 * Memory: one run at a time ({@link #start} refuses a second one), and a run touches at most {@link #KEY_SPACE}
 * keys of {@link #VALUE}'s size, so a scratch engine holds well under a megabyte of entries plus its empty
 * structures (tinylfu's frequency sketch is the largest: 8 bytes per {@code max_size} item). The scratch engine is
 * cleared and unreferenced before the run is marked finished, so the next run cannot overlap it.
 * <p>
 * Each run works on its own key space ({@code loadtest:<run>:<n>}) with a short ttl, so on the live engine it
 * never overwrites user keys and its keys leave by themselves. Every operation is timed individually; percentiles
 * come from the sorted latencies.
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

    private final CacheEngine live;
    private final int workers;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Deque<LoadTestRun> runs = new ArrayDeque<>();
    private LoadTestRun running;

    /** @param live the engine that serves users: its settings shape each scratch engine */
    public LoadTester(CacheEngine live) {
        this.live = live;
        this.workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts a run unless one is already running.
     *
     * @return the started run, or empty when another run is still going
     */
    public synchronized Optional<LoadTestRun> start(OperationType type, int operations, Target target) {
        if (running != null && running.status() == LoadTestRun.Status.RUNNING) {
            return Optional.empty();
        }
        LoadTestRun run = new LoadTestRun("lt-" + sequence.incrementAndGet(), type, operations, target,
                sameShape(live), System.currentTimeMillis() / 1000.0);
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

    /** The live engine's settings with its segment count spelled out, so a scratch engine matches it exactly. */
    static CacheSettings sameShape(CacheEngine live) {
        CacheSettings s = live.settings();
        return new CacheSettings(s.maxSize(), s.maxMemoryBytes(), s.policy(), live.segmentCount(), s.ticker())
                .withCompressionThreshold(s.compressionThresholdBytes());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void execute(LoadTestRun run) {
        try {
            CacheEngine engine = run.target() == Target.LIVE ? live : new CacheEngine(run.engineSettings());
            Measured measured;
            try {
                measured = measure(run, engine);
            } finally {
                if (engine != live) {
                    engine.clear(); // its memory goes back now, before the next run may start
                }
            }
            run.complete(measured.seconds(), percentiles(measured.latencies()));
            LOG.log(System.Logger.Level.INFO, "Load test {0}: {1} {2} ops on the {3} engine in {4} s", run.id(),
                    run.operations(), run.type().configName(), run.target().configName(), measured.seconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.fail("interrupted");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Load test " + run.id() + " failed", e);
            run.fail(e.getClass().getSimpleName());
        }
    }

    /** Latencies of every operation and the wall time of the measured phase. */
    private record Measured(long[] latencies, double seconds) {
    }

    /** Preloads the keys reads should find (not timed), then runs the operations on all workers. */
    private Measured measure(LoadTestRun run, CacheEngine engine) throws Exception {
        String prefix = "loadtest:" + run.id() + ":";
        if (run.type() != OperationType.SET) {
            for (int i = 0; i < Math.min(KEY_SPACE, run.operations()); i++) {
                engine.put(prefix + i, VALUE, KEY_TTL_NANOS);
            }
        }
        int perWorker = (run.operations() + workers - 1) / workers;
        List<Future<long[]>> parts = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int count = Math.max(0, Math.min(perWorker, run.operations() - w * perWorker));
            long seed = w;
            parts.add(executor.submit(() -> work(run, engine, prefix, count, seed)));
        }
        long[] latencies = new long[run.operations()];
        int filled = 0;
        for (Future<long[]> part : parts) {
            long[] measured = part.get();
            System.arraycopy(measured, 0, latencies, filled, measured.length);
            filled += measured.length;
        }
        return new Measured(latencies, (System.nanoTime() - start) / 1e9);
    }

    private long[] work(LoadTestRun run, CacheEngine engine, String prefix, int count, long seed) {
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
