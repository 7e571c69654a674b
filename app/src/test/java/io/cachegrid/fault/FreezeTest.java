package io.cachegrid.fault;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

import io.cachegrid.cluster.HashRing;
import io.cachegrid.cluster.NodeAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member frozen with SIGSTOP (a long GC pause, a suspended VM) for longer than failure detection while its keys
 * are overwritten and deleted through the other two, then continued with SIGCONT: once the cluster has settled,
 * every key read through every member is what the history of acknowledged operations allows, no deleted key is
 * back, and no member keeps a stale copy; and no read the clients made meanwhile returned a value older than one
 * acknowledged before it. Three members, R=2, once with the frozen member as the keys' second
 * owner and once as their primary.
 */
@ExtendWith(NoOrphanProcesses.class)
class FreezeTest {

    private static final System.Logger LOG = System.getLogger(FreezeTest.class.getName());
    private static final int FROZEN = 2;
    private static final List<Integer> ALL = List.of(0, 1, 2);
    private static final List<Integer> OTHERS = List.of(0, 1);
    /**
     * A write stuck on the frozen member counts as unknown after this, and its writer goes on (through a member that
     * has noticed the freeze by then), so the keys are written during the freeze rather than only after it.
     */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FREEZE = Duration.ofSeconds(10);

    @Test
    void frozenSecondOwnerServesNoStaleValueOnceItIsBack() throws Exception {
        freezeWhileWriting("freeze-second:", (owners, frozen) -> owners.get(1).equals(frozen));
    }

    @Test
    void frozenPrimaryOwnerServesNoStaleValueOnceItIsBack() throws Exception {
        freezeWhileWriting("freeze-primary:", (owners, frozen) -> owners.get(0).equals(frozen));
    }

    private void freezeWhileWriting(String prefix, BiPredicate<List<NodeAddress>, NodeAddress> chosen)
            throws Exception {
        try (ProcessCluster cluster = ProcessCluster.of(3)) {
            cluster.start(0, 1, 2);
            cluster.awaitView(ALL);
            HashRing ring = cluster.ring(ALL);
            NodeAddress frozen = NodeAddress.parse(cluster.address(FROZEN));
            List<String> keys = Keys.where(prefix, 150,
                    key -> chosen.test(ring.owners(key, ProcessCluster.REPLICATION_FACTOR), frozen));

            History history = new History();
            Workload load = new Workload(cluster, new NodeClient(CLIENT_TIMEOUT), history, keys, 8, true, 0.3,
                    Workload.anyOf(() -> OTHERS)).withReads(0.3);
            load.preload(ALL);
            assertPlacement(cluster, ring, keys);

            load.start();
            Await.pause(1500);
            cluster.freeze(FROZEN);
            Await.pause(FREEZE.toMillis());
            cluster.thaw(FROZEN);
            Await.pause(1000); // a few writes race the member's return; most keys were last written while it was frozen
            load.stop();
            LOG.log(System.Logger.Level.INFO, "{0}: {1}", prefix, history.summary());
            assertTrue(history.count(Op.Kind.DELETE, Op.Outcome.ACK) > 20
                            && history.count(Op.Kind.PUT, Op.Outcome.ACK) > keys.size() + 50,
                    () -> "too little was acknowledged around the freeze to judge anything: " + history.summary());

            cluster.awaitView(ALL);
            StateCheck check = new StateCheck(cluster, Expectation.lastAcknowledged(history));
            Settle settled = Settle.await(check, ALL, false, Duration.ofSeconds(20));
            Report live = LiveReads.check(history);
            LOG.log(System.Logger.Level.INFO, "{0}: {1}\n{2}", prefix, live.text(), settled.text());
            assertTrue(live.clean() && settled.clean(), () -> "member " + FROZEN + " was frozen for "
                    + FREEZE.toSeconds() + " s and continued (" + history.summary() + "):\n" + live.text() + "\n"
                    + settled.text());
        }
    }

    /**
     * The members hold each key where the ring computed from their addresses says (the keys were chosen by it); a
     * stray extra copy (left by a moment in which members disagreed while starting) does not change who owns it.
     */
    private static void assertPlacement(ProcessCluster cluster, HashRing ring, List<String> keys) {
        Map<String, List<Integer>> held = cluster.holders(keys, ALL);
        for (String key : keys) {
            Set<Integer> owners = new HashSet<>();
            ring.owners(key, ProcessCluster.REPLICATION_FACTOR).forEach(a -> owners.add(cluster.slotOf(a)));
            assertTrue(held.get(key).containsAll(owners), () -> "the test chose " + key + " for its owners " + owners
                    + " (ring over the members' HTTP addresses), but the members holding it are " + held.get(key)
                    + ": the placement the test assumes is not the cluster's");
        }
    }
}
