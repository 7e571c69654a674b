package io.cachegrid.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Why: "the final state matches the history" needs one precise rule per key. A key must end in the state its
 * newest acknowledged operation left, or in the state of an operation whose outcome the client never learned (a
 * timeout or 5xx may have been applied, at any time after it was sent), and in nothing else: not an older
 * acknowledged value (a stale read) and not a value after an acknowledged delete (a delete undone).
 *
 * @param key          the key
 * @param acknowledged the state the newest acknowledged operation left (empty: absent)
 * @param allowed      every state the key may be in: {@code acknowledged} and the states of unknown operations
 * @param deleted      whether the newest acknowledged operation was a delete
 * @param why          the operations this was derived from, for reports
 */
record Expectation(String key, Optional<String> acknowledged, Set<Optional<String>> allowed, boolean deleted,
                   String why) {

    static String show(Optional<String> state) {
        return state.map(v -> "\"" + v + "\"").orElse("absent");
    }

    boolean allows(Optional<String> state) {
        return allowed.contains(state);
    }

    /** Whether the key can only be present (true), only absent (false), or either (null). */
    Boolean mustExist() {
        boolean present = allowed.stream().anyMatch(Optional::isPresent);
        boolean absent = allowed.stream().anyMatch(Optional::isEmpty);
        return present && absent ? null : present;
    }

    /**
     * For histories in which one client thread at a time writes each key (keys partitioned among writers), so the
     * operations on a key are sequential and "the last acknowledged one" is well defined. A key with no
     * acknowledged operation is expected absent.
     */
    static Map<String, Expectation> lastAcknowledged(History history) {
        Map<String, Expectation> result = new HashMap<>();
        history.byKey().forEach((key, ops) -> {
            Op last = null;
            for (Op op : ops) {
                if (op.outcome() == Op.Outcome.ACK) {
                    last = op;
                }
            }
            result.put(key, of(key, last, ops));
        });
        return result;
    }

    /**
     * For histories in which several clients write the same keys at once: the newest acknowledged write is the
     * one whose answer carried the highest version (the order the key's owner applied them in).
     */
    static Map<String, Expectation> newestVersion(History history) {
        Map<String, Expectation> result = new HashMap<>();
        history.byKey().forEach((key, ops) -> {
            Op newest = null;
            for (Op op : ops) {
                if (op.outcome() == Op.Outcome.ACK) {
                    if (op.kind() != Op.Kind.PUT || op.version().isEmpty()) {
                        throw new IllegalStateException("newest-version histories need versioned puts: " + op);
                    }
                    if (newest == null || Long.compareUnsigned(Long.parseUnsignedLong(op.version()),
                            Long.parseUnsignedLong(newest.version())) > 0) {
                        newest = op;
                    }
                }
            }
            result.put(key, of(key, newest, ops));
        });
        return result;
    }

    /**
     * Acknowledged writes of one key whose versions contradict real time: one ended before the other began, yet
     * has the higher version (the later write would lose to the earlier one).
     */
    static List<String> versionsAgainstRealTime(History history) {
        List<String> problems = new ArrayList<>();
        history.byKey().forEach((key, ops) -> {
            List<Op> acked = ops.stream().filter(op -> op.outcome() == Op.Outcome.ACK && !op.version().isEmpty())
                    .toList();
            for (Op a : acked) {
                for (Op b : acked) {
                    if (a.end() < b.start() && Long.compareUnsigned(Long.parseUnsignedLong(a.version()),
                            Long.parseUnsignedLong(b.version())) >= 0) {
                        problems.add("key " + key + ": " + a + " ended before " + b + " began, yet its version is"
                                + " not lower");
                    }
                }
            }
        });
        return problems;
    }

    private static Expectation of(String key, Op acked, List<Op> ops) {
        Optional<String> state = acked == null ? Optional.empty() : acked.state();
        Set<Optional<String>> allowed = new LinkedHashSet<>();
        allowed.add(state);
        List<Op> unknown = new ArrayList<>();
        for (Op op : ops) {
            if (op.outcome() == Op.Outcome.UNKNOWN) {
                allowed.add(op.state());
                unknown.add(op);
            }
        }
        String why = (acked == null ? "nothing acknowledged" : "last acknowledged " + acked)
                + (unknown.isEmpty() ? "" : "; unknown outcome: " + unknown);
        return new Expectation(key, state, allowed, acked != null && acked.kind() == Op.Kind.DELETE, why);
    }
}
