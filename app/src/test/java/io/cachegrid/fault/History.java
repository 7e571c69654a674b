package io.cachegrid.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Why: the fault tests' verdict is "the cluster ends in a state the clients' acknowledged operations allow", so
 * every write or delete a client thread performs is recorded here, thread-safely, in the order they end, and so
 * is every read that got an answer.
 */
final class History {

    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();

    void record(Op op) {
        ops.add(op);
    }

    void record(Read read) {
        reads.add(read);
    }

    /** The reads made during the load (those that got an answer). */
    List<Read> reads() {
        return List.copyOf(reads);
    }

    /** Each key's operations, ordered by their start. */
    Map<String, List<Op>> byKey() {
        Map<String, List<Op>> result = new TreeMap<>();
        for (Op op : ops) {
            result.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        result.values().forEach(list -> list.sort(Comparator.comparingLong(Op::start)));
        return result;
    }

    long count(Op.Outcome outcome) {
        return ops.stream().filter(op -> op.outcome() == outcome).count();
    }

    long count(Op.Kind kind, Op.Outcome outcome) {
        return ops.stream().filter(op -> op.kind() == kind && op.outcome() == outcome).count();
    }

    String summary() {
        return ops.size() + " operations: " + count(Op.Kind.PUT, Op.Outcome.ACK) + " puts and "
                + count(Op.Kind.DELETE, Op.Outcome.ACK) + " deletes acknowledged, " + count(Op.Outcome.FAILED)
                + " refused, " + count(Op.Outcome.UNKNOWN) + " of unknown outcome; " + reads.size() + " reads";
    }
}
