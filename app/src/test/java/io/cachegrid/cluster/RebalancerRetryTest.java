package io.cachegrid.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.Ticker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rebalancing that cannot reach a new owner keeps every key it was to hand over and tries again by itself (no
 * membership change needed), until the owner confirmed; then the keys it no longer owns are dropped. A real member
 * (a one-node cluster on a reserved port) receives the pushes; this node is a {@link Rebalancer} on its own engine.
 */
class RebalancerRetryTest {

    @Test
    void aFailedRunIsRetriedAndKeysAreDroppedOnlyAfterTheOwnerConfirmed() {
        CacheEngine engine = new CacheEngine(new CacheSettings(100_000, 1L << 30, EvictionPolicy.LRU, 4,
                Ticker.system(), (long) 300e9));
        int keys = 3_000;
        IntStream.range(0, keys).forEach(i -> engine.put("k" + i, ("\"" + i + "\"").getBytes(), 0));
        engine.delete("deleted"); // a tombstone: it travels too
        try (PortReservation peerPort = new PortReservation(); PortReservation selfPort = new PortReservation();
             PeerClient client = new PeerClient()) {
            NodeAddress self = new NodeAddress("127.0.0.1", selfPort.port());
            NodeAddress peer = new NodeAddress("127.0.0.1", peerPort.port());
            // R=1 over two members: about half the keys are the peer's alone, to be handed over and dropped here
            ClusterView view = ClusterView.of(self, Map.of(peer, true), 1, ClusterSettings.RING_VNODES);
            long theirs = IntStream.range(0, keys).filter(i -> view.owners("k" + i).contains(peer)).count();
            assertTrue(theirs > keys / 4 && theirs < keys * 3 / 4, "the peer's share: " + theirs);
            AtomicInteger runs = new AtomicInteger();
            try (Rebalancer rebalancer = new Rebalancer(engine, client, () -> view, unreachable -> { },
                    runs::incrementAndGet, 16L << 20, Duration.ofMillis(50), Duration.ofMillis(200))) {
                rebalancer.request();
                LocalCluster.await(() -> runs.get() >= 3, () -> "3 failed runs, had " + runs.get());
                assertEquals(keys, engine.size(), "nothing dropped while the owner did not confirm");

                peerPort.close();
                try (TestNode owner = TestNode.start(peer.port(), Map.of("CACHEGRID_PEERS", peer.toString(),
                        "CACHEGRID_REPLICATION_FACTOR", "1"))) {
                    CacheEngine received = owner.server().engine();
                    LocalCluster.await(() -> received.size() == theirs && engine.size() == keys - theirs,
                            () -> "the hand-over of " + theirs + ": peer holds " + received.size() + ", this node " + engine.size());
                    for (int i = 0; i < keys; i++) {
                        boolean peers = view.owners("k" + i).contains(peer);
                        assertEquals(peers, received.peek("k" + i) != null, "k" + i + " on the peer");
                        assertEquals(!peers, engine.peek("k" + i) != null, "k" + i + " here");
                    }
                    if (view.owners("deleted").contains(peer)) {
                        assertTrue(received.tombstoneVersion("deleted") != 0, "the tombstone was pushed");
                    }
                    engine.checkInvariants();
                    owner.checkInvariants();
                }
            }
        }
    }
}
