package io.cachegrid.loadtest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.CacheStats;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.Ticker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tester measures a scratch engine shaped like the live one, unless asked for the live engine. */
class LoadTesterTest {

    @Test
    void theScratchEngineHasTheLiveEnginesPolicyLimitsAndSegments() {
        for (EvictionPolicy policy : EvictionPolicy.values()) {
            CacheEngine live = new CacheEngine(CacheSettings.of(50_000, 64L << 20, policy)); // segments: auto
            CacheSettings shape = LoadTester.sameShape(live);
            assertEquals(policy, shape.policy());
            assertEquals(50_000, shape.maxSize());
            assertEquals(64L << 20, shape.maxMemoryBytes());
            assertEquals(live.segmentCount(), shape.segments());
            assertEquals(live.segmentCount(), new CacheEngine(shape).segmentCount());
        }
    }

    @Test
    void aFullLiveCacheKeepsItsEntriesAndCountersThroughScratchRuns() throws Exception {
        CacheEngine live = new CacheEngine(new CacheSettings(2000, 64L << 20, EvictionPolicy.LRU, 4, Ticker.system()));
        for (int i = 0; i < 2000; i++) {
            live.put("user:" + i, ("" + i).getBytes(StandardCharsets.UTF_8), 0);
        }
        List<String> held = live.keys("user:", 2000).keys(); // a full cache: some may be evicted already
        assertTrue(held.size() > 1500, "held " + held.size());
        CacheStats before = live.stats();
        try (LoadTester tester = new LoadTester(live)) {
            for (OperationType type : OperationType.values()) {
                LoadTestRun run = tester.start(type, 3000, Target.SCRATCH).orElseThrow();
                await(run);
            }
        }
        assertEquals(before, live.stats());
        for (String key : held) {
            assertNotNull(live.peek(key), key);
        }
        live.checkInvariants();
    }

    @Test
    void aLiveRunGoesThroughTheLiveEngine() throws Exception {
        CacheEngine live = new CacheEngine(CacheSettings.of(10_000, 64L << 20, EvictionPolicy.LFU));
        try (LoadTester tester = new LoadTester(live)) {
            await(tester.start(OperationType.MIXED, 2000, Target.LIVE).orElseThrow());
        }
        assertTrue(live.stats().sets() > 0 && live.stats().hits() > 0, live.stats().toString());
        live.checkInvariants();
    }

    @Test
    void aSecondRunWaitsForTheFirst() throws Exception {
        CacheEngine live = new CacheEngine(CacheSettings.of(10_000, 64L << 20, EvictionPolicy.TINYLFU));
        try (LoadTester tester = new LoadTester(live)) {
            LoadTestRun first = tester.start(OperationType.SET, 100_000, Target.SCRATCH).orElseThrow();
            boolean refused = tester.start(OperationType.GET, 10, Target.SCRATCH).isEmpty();
            assertTrue(refused || first.status() != LoadTestRun.Status.RUNNING, "one run at a time");
            await(first);
            assertTrue(tester.start(OperationType.GET, 10, Target.SCRATCH).isPresent(), "free again once it ends");
        }
    }

    private static void await(LoadTestRun run) throws InterruptedException {
        for (int i = 0; i < 400 && run.status() == LoadTestRun.Status.RUNNING; i++) {
            Thread.sleep(25);
        }
        assertEquals(LoadTestRun.Status.COMPLETED, run.status(), run.failure());
    }
}
