package io.cachegrid.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Client throughput harness (not a test): calls per second of {@code get} and {@code getMulti(100)} through the
 * blocking client, with 1 caller and with N concurrent callers (virtual threads sharing one client), against a local
 * server. Run with scripts/bench-client.sh; arguments: [seconds per run, default 10] [concurrency, default 16]
 * [host:port, default: start a server from the app jar].
 */
public final class ClientBenchmark {
    private static final int BATCH = 100;
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    private ClientBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        ServerProcess server = args.length > 2 ? null : ServerProcess.start();
        String host = server == null ? args[2] : server.address();
        try (SyncCacheGridClient client = SyncCacheGridClient.builder().hosts(host).build()) {
            List<String> keys = seed(client);
            Consumer<SyncCacheGridClient> get = c -> c.get(keys.get(0));
            Consumer<SyncCacheGridClient> getMulti = c -> c.getMulti(keys);
            System.out.printf("CacheGrid Java client benchmark: %s, %d cores, Java %s, %s per run%n", host,
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), run);
            for (int callers : new int[] {1, concurrency}) {
                report("get", callers, 1, measure(client, get, callers, run));
                report("getMulti(" + BATCH + ")", callers, BATCH, measure(client, getMulti, callers, run));
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static List<String> seed(SyncCacheGridClient client) {
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < BATCH; i++) {
            items.put("bench:key:" + i, Map.of("id", i, "name", "user " + i, "score", i * 1.5));
        }
        client.setMulti(items);
        return new ArrayList<>(items.keySet());
    }

    /** Calls per second over {@code run}, after a warm-up, with {@code callers} virtual threads calling in a loop. */
    private static double measure(SyncCacheGridClient client, Consumer<SyncCacheGridClient> call, int callers,
                                  Duration run) throws InterruptedException {
        loop(client, call, callers, WARM_UP, new LongAdder());
        LongAdder calls = new LongAdder();
        long start = System.nanoTime();
        loop(client, call, callers, run, calls);
        return calls.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static void loop(SyncCacheGridClient client, Consumer<SyncCacheGridClient> call, int callers,
                             Duration run, LongAdder calls) throws InterruptedException {
        long deadline = System.nanoTime() + run.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline) {
                    call.accept(client);
                    calls.increment();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void report(String operation, int callers, int keysPerCall, double callsPerSecond) {
        System.out.printf("%-14s callers=%-3d %,10.0f calls/s %,12.0f keys/s  mean latency %.3f ms%n", operation,
                callers, callsPerSecond, callsPerSecond * keysPerCall, callers * 1000.0 / callsPerSecond);
    }
}
