package io.cachegrid.fault;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history checker's rules on made-up histories (times in arbitrary units): what a key may end as, and which
 * reads made during a load are stale. The fault tests trust these verdicts, so they are pinned here.
 */
class HistoryCheckTest {

    private static Op put(String key, String value, Op.Outcome outcome, long start, long end, String version) {
        return new Op(key, Op.Kind.PUT, value, outcome, start, end, 0, version, "");
    }

    private static Op delete(String key, Op.Outcome outcome, long start, long end) {
        return new Op(key, Op.Kind.DELETE, null, outcome, start, end, 0, "", "");
    }

    private static Read read(String key, long start, long end, String seen) {
        return new Read(key, 1, start, end, Optional.ofNullable(seen), "");
    }

    @Test
    void aKeyEndsAsItsLastAcknowledgedWriteOrAnUnknownOne() {
        History h = new History();
        h.record(put("k", "a", Op.Outcome.ACK, 0, 1, "1"));
        h.record(put("k", "b", Op.Outcome.UNKNOWN, 2, 3, ""));
        h.record(put("k", "c", Op.Outcome.ACK, 4, 5, "3"));
        h.record(put("k", "d", Op.Outcome.FAILED, 6, 7, ""));
        Expectation e = Expectation.lastAcknowledged(h).get("k");
        assertEquals(Optional.of("c"), e.acknowledged());
        assertTrue(e.allows(Optional.of("c")));
        assertTrue(e.allows(Optional.of("b")), "an unknown write may have been applied late");
        assertFalse(e.allows(Optional.of("a")), "an older acknowledged value is stale");
        assertFalse(e.allows(Optional.of("d")), "a refused write changed nothing");
        assertFalse(e.allows(Optional.empty()));
        assertTrue(e.mustExist());
    }

    @Test
    void aDeletedKeyMustStayAbsent() {
        History h = new History();
        h.record(put("k", "a", Op.Outcome.ACK, 0, 1, "1"));
        h.record(delete("k", Op.Outcome.ACK, 2, 3));
        Expectation e = Expectation.lastAcknowledged(h).get("k");
        assertTrue(e.deleted());
        assertEquals(Set.of(Optional.empty()), e.allowed());
        assertFalse(e.mustExist());
    }

    @Test
    void withSeveralWritersTheHighestAcknowledgedVersionWins() {
        History h = new History();
        h.record(put("k", "a", Op.Outcome.ACK, 0, 10, "30"));
        h.record(put("k", "b", Op.Outcome.ACK, 1, 9, "20"));
        h.record(put("k", "c", Op.Outcome.ACK, 2, 8, "10"));
        assertEquals(Optional.of("a"), Expectation.newestVersion(h).get("k").acknowledged());
        assertTrue(Expectation.versionsAgainstRealTime(h).isEmpty(), "overlapping writes may be ordered any way");

        h.record(put("k", "d", Op.Outcome.ACK, 11, 12, "25")); // began after "a" ended, yet a lower version
        assertEquals(1, Expectation.versionsAgainstRealTime(h).size());
    }

    @Test
    void aReadMustSeeTheLastWriteAcknowledgedBeforeItBeganOrSomethingNewer() {
        History h = new History();
        h.record(put("k", "a", Op.Outcome.ACK, 0, 1, "1"));
        h.record(put("k", "b", Op.Outcome.ACK, 2, 3, "2"));
        h.record(put("k", "c", Op.Outcome.ACK, 10, 20, "3"));
        h.record(delete("k", Op.Outcome.ACK, 30, 31));
        h.record(read("k", 4, 5, "b"));     // fine
        h.record(read("k", 4, 5, "a"));     // stale: "b" was acknowledged before it began
        h.record(read("k", 12, 13, "b"));   // fine: "c" was not acknowledged yet
        h.record(read("k", 12, 13, "c"));   // fine: "c" may have applied already
        h.record(read("k", 9, 11, "c"));    // fine: "c" began before the read ended
        h.record(read("k", 32, 33, "c"));   // the deleted key read back
        h.record(read("k", 32, 33, null));  // fine
        Report report = LiveReads.check(h);
        assertEquals(7, report.checkedCount());
        assertEquals(1, report.count(LiveReads.STALE), report::text);
        assertEquals(1, report.count(LiveReads.UNDELETED), report::text);
    }

    @Test
    void aReadMaySeeAWriteOfUnknownOutcomeThatBeganBeforeItEnded() {
        History h = new History();
        h.record(put("k", "a", Op.Outcome.UNKNOWN, 0, 5, ""));
        h.record(put("k", "b", Op.Outcome.ACK, 6, 7, "2"));
        h.record(read("k", 8, 9, "a"));     // the timed-out write may have been applied late
        h.record(read("k", 8, 9, "b"));
        h.record(read("k", 8, 9, null));    // stale: "b" was acknowledged before
        Report report = LiveReads.check(h);
        assertEquals(1, report.count(LiveReads.STALE), report::text);
    }
}
