package io.cachegrid.api;

import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeapAfterCollectionCheckTest {

    private static final long MAX = 1000;
    private static final Set<String> HEAP = Set.of("G1 Eden Space", "G1 Old Gen", "G1 Survivor Space");

    private static MemoryUsage used(long bytes) {
        return new MemoryUsage(0, bytes, MAX, MAX);
    }

    private static HealthCheckResponse check(Map<String, MemoryUsage> afterCollection) {
        return new HeapAfterCollectionCheck(() -> afterCollection, HEAP, MAX).call();
    }

    @Test
    void aHeapFullOfGarbageIsUpWhenTheLastCollectionFreedIt() {
        // the cache at its limit: 800 of 1000 survive every collection; garbage since then is not counted
        HealthCheckResponse answer = check(Map.of("G1 Eden Space", used(0), "G1 Old Gen", used(800),
                "G1 Survivor Space", used(10)));
        assertEquals(HealthCheckResponse.Status.UP, answer.status());
        assertEquals(810L, answer.details().get("usedAfterCollectionBytes"));
    }

    @Test
    void aHeapStillFullAfterACollectionIsDown() {
        HealthCheckResponse answer = check(Map.of("G1 Eden Space", used(0), "G1 Old Gen", used(975),
                "G1 Survivor Space", used(5)));
        assertEquals(HealthCheckResponse.Status.DOWN, answer.status());
        assertEquals("98.00%", answer.details().get("percentUsed"));
    }

    @Test
    void poolsOutsideTheHeapAreNotCounted() {
        HealthCheckResponse answer = check(Map.of("G1 Old Gen", used(100), "Metaspace", used(990),
                "CodeHeap 'non-nmethods'", used(990)));
        assertEquals(HealthCheckResponse.Status.UP, answer.status());
        assertEquals(100L, answer.details().get("usedAfterCollectionBytes"));
    }

    @Test
    void upBeforeTheFirstCollectionAndALivenessCheck() {
        HeapAfterCollectionCheck check = new HeapAfterCollectionCheck(Map::of, HEAP, MAX);
        assertEquals(HealthCheckResponse.Status.UP, check.call().status());
        assertEquals(false, check.call().details().get("collected"));
        assertEquals(HealthCheckType.LIVENESS, check.type());
    }

    @Test
    void theRealJvmReportsItsHeapAfterACollection() {
        System.gc(); // a request, not a promise: the check must answer either way
        HealthCheckResponse answer = new HeapAfterCollectionCheck().call();
        assertEquals(HealthCheckResponse.Status.UP, answer.status());
        assertEquals(Runtime.getRuntime().maxMemory(), answer.details().get("maxBytes"));
    }
}
