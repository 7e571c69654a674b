package io.cachegrid.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why: the history's verdict is checked against what users see and what the members hold. Reads go through every
 * member ({@code GET /cache/{key}}, routed as a client's would be); copies are each member's own entry
 * ({@code /admin/entry/{key}?local=true}). Both are compared with each key's {@link Expectation}.
 */
final class StateCheck {

    static final String STALE = "stale value";
    static final String UNDELETED = "deleted key back";
    static final String NO_ANSWER = "read without an answer";
    static final String STALE_COPY = "stale copy";
    static final String UNDELETED_COPY = "copy of a deleted key";
    static final String TOO_FEW_COPIES = "key with fewer than R copies";
    static final String EXTRA_COPIES = "key with more than R copies";
    static final String STALE_STRAY = "stale copy beyond R good ones";
    static final String NOT_LOCAL = "member read that is not local";
    static final String DISAGREE = "key the members disagree on";

    private final ProcessCluster cluster;
    private final Map<String, Expectation> expected;

    StateCheck(ProcessCluster cluster, Map<String, Expectation> expected) {
        this.cluster = cluster;
        this.expected = expected;
    }

    /** Every key read through every one of these members. */
    Report reads(List<Integer> members) {
        Report report = new Report("reads (" + expected.size() + " keys x " + members.size() + " members)");
        forEachKey(key -> {
            Expectation e = expected.get(key);
            List<Optional<String>> seen = new ArrayList<>();
            for (int m : members) {
                Reply reply = readWithRetry(m, key);
                Optional<String> got = reply.readValue();
                report.checked();
                if (got == null) {
                    report.problem(NO_ANSWER, "key " + key + " via member " + m + ": " + reply);
                    continue;
                }
                seen.add(got);
                if (!e.allows(got)) {
                    report.problem(e.deleted() && got.isPresent() ? UNDELETED : STALE, "key " + key + " via member "
                            + m + ": got " + Expectation.show(got) + ", expected " + Expectation.show(e.acknowledged())
                            + " (" + e.why() + ")");
                }
            }
            if (seen.stream().distinct().count() > 1) {
                report.problem(DISAGREE, "key " + key + ": members " + members + " answered " + seen.stream()
                        .map(Expectation::show).toList());
            }
        });
        return report;
    }

    /**
     * Every member's own copy of every key: each copy must be an allowed state (a stale copy is a stale read
     * waiting for its owner to fail; a deleted key's copy is a delete waiting to be undone), and, with
     * {@code countCopies}, a key that exists has at least R copies (fewer members: all of them). Copies beyond R are
     * only counted, and so are stale ones among them while R copies are right (strays a former owner kept).
     */
    Report copies(List<Integer> members, boolean countCopies) {
        int r = Math.min(ProcessCluster.REPLICATION_FACTOR, members.size());
        Report report = new Report("keys' copies (" + expected.size() + " keys on " + members.size() + " members)");
        java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger everywhere = new java.util.concurrent.atomic.AtomicInteger();
        forEachKey(key -> {
            Expectation e = expected.get(key);
            List<Integer> holders = new ArrayList<>();
            int good = 0;
            Map<Integer, Optional<String>> bad = new java.util.TreeMap<>();
            for (int m : members) {
                Reply reply = cluster.client().localEntry(cluster.port(m), key);
                Optional<String> got = reply.readValue();
                if (got == null) {
                    report.problem(NO_ANSWER, "copy of " + key + " on member " + m + ": " + reply);
                    continue;
                }
                if (got.isPresent()) {
                    holders.add(m);
                    if (e.allows(got)) {
                        good++;
                    } else {
                        bad.put(m, got);
                    }
                }
            }
            // R good copies and more holders than R: the bad ones are strays on former owners, counted, not failed
            boolean strays = good >= r && holders.size() > r;
            bad.forEach((m, got) -> {
                if (strays) {
                    report.note(STALE_STRAY);
                } else {
                    report.problem(e.deleted() ? UNDELETED_COPY : STALE_COPY, "key " + key + " on member " + m
                            + ": holds " + Expectation.show(got) + ", expected " + Expectation.show(e.acknowledged())
                            + " (" + e.why() + "); held by " + holders);
                }
            });
            report.checked();
            if (countCopies && Boolean.TRUE.equals(e.mustExist()) && holders.size() < r) {
                report.problem(TOO_FEW_COPIES, "key " + key + " is held by members " + holders + " only, expected "
                        + r + " copies (" + e.why() + ")");
            }
            if (holders.size() > r) {
                report.note(EXTRA_COPIES); // a stray copy is not a lost write; it is counted, not failed
            }
            if (!holders.isEmpty()) {
                held.incrementAndGet();
                if (holders.size() == members.size()) {
                    everywhere.incrementAndGet();
                }
            }
        });
        if (members.size() > r && held.get() >= 20 && everywhere.get() == held.get()) {
            // every member "holds" every key: the member answered for the cluster, not for itself
            report.problem(NOT_LOCAL, "all " + held.get() + " keys that exist were found on every one of "
                    + members + " with R=" + r + ": /admin/entry/{key}?local=true is not answered from the member's"
                    + " own copies, so copies cannot be checked");
        }
        return report;
    }

    /** A read that got no answer (or 5xx) is tried twice more: the check is about values, not availability. */
    private Reply readWithRetry(int member, String key) {
        Reply reply = cluster.client().get(cluster.port(member), key);
        for (int attempt = 0; attempt < 2 && reply.readValue() == null; attempt++) {
            Await.pause(200);
            reply = cluster.client().get(cluster.port(member), key);
        }
        return reply;
    }

    private void forEachKey(java.util.function.Consumer<String> check) {
        Parallel.forEach(expected.keySet(), check);
    }
}
