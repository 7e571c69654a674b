package io.cachegrid.fault;

import java.time.Duration;
import java.util.List;

/**
 * Why: after a fault the members repair in the background; a fault test waits (bounded) until the reads through
 * every member and the members' copies match the history, and then asserts on the last check, so a cluster that
 * never converges fails with the precise report of what is still wrong.
 *
 * @param reads  the last check of reads through every member
 * @param copies the last check of the members' own copies
 */
record Settle(Report reads, Report copies) {

    private static final System.Logger LOG = System.getLogger(Settle.class.getName());

    /** Checks until both are clean or the deadline passed; returns the last checks. */
    static Settle await(StateCheck check, List<Integer> members, boolean countCopies, Duration deadline) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        for (int checks = 1; ; checks++) {
            Settle last = new Settle(check.reads(members), check.copies(members, countCopies));
            if (last.clean() || System.nanoTime() > end) {
                if (checks > 1) { // how long the repair took tells a slow convergence from a wrong state
                    LOG.log(System.Logger.Level.INFO, "{0} after {1} checks in {2} ms", last.clean() ? "clean"
                            : "still not clean", checks, (System.nanoTime() - start) / 1_000_000);
                }
                return last;
            }
            Await.pause(1000);
        }
    }

    boolean clean() {
        return reads.clean() && copies.clean();
    }

    String text() {
        return reads.text() + "\n" + copies.text();
    }
}
