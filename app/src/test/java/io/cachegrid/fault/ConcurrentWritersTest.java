package io.cachegrid.fault;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three clients write the same keys at the same time, each through another member (three members, R=2):
 * afterwards every member answers the same value for each key, it is the value of the acknowledged write with the
 * highest version (the version each PUT answer carries), every copy holds it, and no acknowledged write that ended
 * before another began got the higher version.
 */
@ExtendWith(NoOrphanProcesses.class)
class ConcurrentWritersTest {

    private static final System.Logger LOG = System.getLogger(ConcurrentWritersTest.class.getName());
    private static final List<Integer> ALL = List.of(0, 1, 2);

    @Test
    void everyMemberEndsWithTheNewestAcknowledgedWrite() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.of(3)) {
            cluster.start(0, 1, 2);
            cluster.awaitView(ALL);
            List<String> keys = Keys.all("same:", 40);
            History history = new History();
            // writer w sends every write through member w; all three write all keys
            Workload load = new Workload(cluster, new NodeClient(Duration.ofSeconds(10)), history, keys, 3, false, 0,
                    writer -> List.of(writer));
            load.start();
            Await.pause(6000);
            load.stop();
            LOG.log(System.Logger.Level.INFO, "same keys: {0}", history.summary());
            assertTrue(history.count(Op.Kind.PUT, Op.Outcome.ACK) > 3L * keys.size(),
                    () -> "too few writes were acknowledged to judge anything: " + history.summary());

            List<String> order = Expectation.versionsAgainstRealTime(history);
            assertTrue(order.isEmpty(), () -> order.size() + " pairs of acknowledged writes whose versions contradict"
                    + " real time, e.g.:\n  " + String.join("\n  ", order.subList(0, Math.min(10, order.size()))));

            StateCheck check = new StateCheck(cluster, Expectation.newestVersion(history));
            Settle settled = Settle.await(check, ALL, true, Duration.ofSeconds(15));
            LOG.log(System.Logger.Level.INFO, "same keys: {0}", settled.text());
            assertTrue(settled.clean(), () -> "after concurrent writers (" + history.summary() + "):\n"
                    + settled.text());
        }
    }
}
