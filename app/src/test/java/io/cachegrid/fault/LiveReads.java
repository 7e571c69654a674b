package io.cachegrid.fault;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Why: judges the reads clients made during the load (one writer per key, as for
 * {@link Expectation#lastAcknowledged}). A read that began after a write or delete was acknowledged must see it or
 * something newer: the state of the last operation acknowledged before the read began, of any operation on the key
 * that began after that one and before the read ended (it may have applied already), or of any operation whose
 * outcome is unknown and that began before the read ended. Anything else is a stale read, or a deleted key read back.
 */
final class LiveReads {

    static final String STALE = "stale read";
    static final String UNDELETED = "deleted key read back";

    private LiveReads() {
    }

    static Report check(History history) {
        Map<String, List<Op>> writes = history.byKey();
        List<Read> reads = history.reads();
        Report report = new Report("reads during the load");
        long origin = reads.stream().mapToLong(Read::start).min().orElse(0);
        for (Read read : reads) {
            report.checked();
            List<Op> ops = writes.getOrDefault(read.key(), List.of());
            Op last = null;
            for (Op op : ops) {
                if (op.outcome() == Op.Outcome.ACK && op.end() < read.start()
                        && (last == null || op.start() > last.start())) {
                    last = op;
                }
            }
            Set<Optional<String>> allowed = new LinkedHashSet<>();
            allowed.add(last == null ? Optional.empty() : last.state());
            for (Op op : ops) {
                boolean mayHaveApplied = op.start() < read.end() && op.outcome() != Op.Outcome.FAILED;
                if (mayHaveApplied && (op.outcome() == Op.Outcome.UNKNOWN || last == null
                        || op.start() > last.start())) {
                    allowed.add(op.state());
                }
            }
            if (!allowed.contains(read.seen())) {
                boolean deleted = last != null && last.kind() == Op.Kind.DELETE;
                report.problem(deleted && read.seen().isPresent() ? UNDELETED : STALE, "key " + read.key()
                        + " via member " + read.member() + " at " + (read.start() - origin) / 1_000_000 + " ms: got "
                        + Expectation.show(read.seen()) + ", the last acknowledged before it began was "
                        + (last == null ? "none" : last) + "; allowed " + allowed.stream().map(Expectation::show)
                        .toList());
            }
        }
        return report;
    }
}
