package io.cachegrid.fault;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster grows from three members to four and shrinks back to three (the 4th stopped in order) while clients
 * keep writing and deleting (R=2). After each step settles: no acknowledged write is lost, no delete is undone,
 * every key that exists has R copies, no read made meanwhile was older than a write acknowledged before it, and
 * about a quarter of the copies moved: onto the new member when it
 * joined (it owns a quarter of the ring), off it when it left.
 */
@ExtendWith(NoOrphanProcesses.class)
class ScaleOutInTest {

    private static final System.Logger LOG = System.getLogger(ScaleOutInTest.class.getName());
    private static final List<Integer> THREE = List.of(0, 1, 2);
    private static final List<Integer> FOUR = List.of(0, 1, 2, 3);
    private static final int NEW = 3;
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @Test
    void scalingOutAndInUnderLoadLosesNothingAndMovesAQuarterOfTheCopies() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.of(4)) {
            cluster.start(0, 1, 2);
            cluster.awaitView(THREE);
            List<String> keys = Keys.all("scale:", 400);
            History history = new History();
            AtomicReference<List<Integer>> targets = new AtomicReference<>(THREE);
            Workload load = new Workload(cluster, new NodeClient(Duration.ofSeconds(10)), history, keys, 4, true,
                    0.25, Workload.anyOf(targets::get)).withReads(0.3);
            load.preload(THREE);
            Map<String, List<Integer>> before = settle(cluster, history, THREE, "three members");

            load.start();
            Await.pause(2000);
            cluster.start(NEW);
            cluster.awaitView(FOUR);
            targets.set(FOUR);
            Await.pause(3000);
            load.stop();
            Map<String, List<Integer>> grown = settle(cluster, history, FOUR, "the 4th member joined");

            load.start();
            Await.pause(1000);
            targets.set(THREE); // clients stop using the member before the operator stops it
            Await.pause(500);
            cluster.stop(NEW);
            cluster.awaitView(THREE);
            Await.pause(3000);
            load.stop();
            Map<String, List<Integer>> shrunk = settle(cluster, history, THREE, "the 4th member left");

            Report live = LiveReads.check(history);
            assertTrue(live.clean(), () -> "while scaling (" + history.summary() + "):\n" + live.text());
            double in = share(copies(grown), NEW);
            double out = movedShare(grown, shrunk);
            LOG.log(System.Logger.Level.INFO, "scale: {0}; share of copies on the new member {1}, share of copies"
                    + " moved when it left {2}; keys {3} before, {4} with four, {5} after", history.summary(), in, out,
                    count(before), count(grown), count(shrunk));
            assertTrue(in > 0.15 && in < 0.35, () -> "the new member holds " + in + " of the copies, not about a"
                    + " quarter");
            assertTrue(out > 0.15 && out < 0.35, () -> out + " of the copies moved when the 4th member left, not"
                    + " about a quarter");
        }
    }

    /** Waits until reads and copies match the history with exactly R copies; returns where each key is held. */
    private static Map<String, List<Integer>> settle(ProcessCluster cluster, History history, List<Integer> members,
                                                     String step) {
        Map<String, Expectation> expected = Expectation.lastAcknowledged(history);
        Settle settled = Settle.await(new StateCheck(cluster, expected), members, true, SETTLE);
        LOG.log(System.Logger.Level.INFO, "scale, {0}: {1}", step, settled.text());
        assertTrue(settled.clean(), () -> "after " + step + " (" + history.summary() + "):\n" + settled.text());
        return cluster.holders(expected.keySet(), members);
    }

    /** Every (key, member) copy. */
    private static Set<String> copies(Map<String, List<Integer>> holders) {
        Set<String> result = new HashSet<>();
        holders.forEach((key, members) -> members.forEach(m -> result.add(key + "@" + m)));
        return result;
    }

    private static double share(Set<String> copies, int member) {
        return copies.stream().filter(c -> c.endsWith("@" + member)).count() / (double) copies.size();
    }

    /** Of the copies held after, the share of those (of keys held both times) that a member did not hold before. */
    private static double movedShare(Map<String, List<Integer>> before, Map<String, List<Integer>> after) {
        int total = 0;
        int moved = 0;
        for (Map.Entry<String, List<Integer>> e : after.entrySet()) {
            List<Integer> was = before.getOrDefault(e.getKey(), List.of());
            if (was.isEmpty() || e.getValue().isEmpty()) {
                continue; // written or deleted in between: not a move
            }
            for (int m : e.getValue()) {
                total++;
                if (!was.contains(m)) {
                    moved++;
                }
            }
        }
        return total == 0 ? 0 : moved / (double) total;
    }

    private static long count(Map<String, List<Integer>> holders) {
        return holders.values().stream().filter(h -> !h.isEmpty()).count();
    }
}
