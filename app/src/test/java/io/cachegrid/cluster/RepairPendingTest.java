package io.cachegrid.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.cachegrid.api.ApiLimits;
import io.cachegrid.api.ResponseBudget;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.Ticker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repair is pending from the moment a view with other live members is installed, not only once membership's
 * listener has told anti-entropy: reads route by the view in between. A joiner whose first pass ran while it was
 * alone would otherwise serve its empty engine for that moment.
 */
class RepairPendingTest {

    @Test
    void aViewWithMembersThePassDidNotCompareWithIsPendingBeforeViewChangedIsCalled() {
        NodeAddress self = new NodeAddress("127.0.0.1", 1);
        NodeAddress other = new NodeAddress("127.0.0.1", 2); // never called: no pass runs with it here
        AtomicReference<ClusterView> view = new AtomicReference<>(ClusterView.of(self, Map.of(), 2,
                ClusterSettings.RING_VNODES, 0));
        CacheEngine engine = new CacheEngine(new CacheSettings(1_000, 1L << 24, EvictionPolicy.LRU, 2,
                Ticker.system(), (long) 300e9));
        ApiLimits limits = new ApiLimits(250, 1 << 20, 1000, 16, 64, 4 << 20, new ResponseBudget(64 << 20));
        try (PeerClient client = new PeerClient(Optional.empty(), Optional.empty());
             AntiEntropy antiEntropy = new AntiEntropy(engine, limits, client, view::get, 30)) {
            assertTrue(antiEntropy.repairPending(), "a node that just started has compared nothing");
            assertTrue(antiEntropy.pass(), "alone: nothing to compare");
            assertFalse(antiEntropy.repairPending());

            view.set(ClusterView.of(self, Map.of(other, true), 2, ClusterSettings.RING_VNODES, 1));
            assertTrue(antiEntropy.repairPending(), "installed with a member not compared with yet");

            view.set(ClusterView.of(self, Map.of(other, false), 2, ClusterSettings.RING_VNODES, 2));
            assertTrue(antiEntropy.pass(), "alone again");
            assertFalse(antiEntropy.repairPending(), "the pass after the change compared with every live member");
        }
    }
}
