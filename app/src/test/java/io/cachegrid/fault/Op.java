package io.cachegrid.fault;

import java.util.Optional;

/**
 * Why: the history checker judges the final state by what clients were told, so each client operation is kept
 * with its outcome and its time span. Times are {@link System#nanoTime()} of this test JVM.
 *
 * @param key     the key written
 * @param kind    put or delete
 * @param value   the value a put wrote (unique in the test), null for a delete
 * @param outcome acknowledged (2xx), failed (a definite refusal, 4xx) or unknown (timeout, 5xx, no connection)
 * @param start   when the request was sent
 * @param end     when its answer (or the failure) came
 * @param member  the index of the member the request went to
 * @param version the version an acknowledged put was answered with ("" if none)
 * @param detail  the answer or error, for reports
 */
record Op(String key, Kind kind, String value, Outcome outcome, long start, long end, int member, String version,
          String detail) {

    enum Kind { PUT, DELETE }

    enum Outcome { ACK, FAILED, UNKNOWN }

    /** The state the key is in right after this operation applied: the value, or absent after a delete. */
    Optional<String> state() {
        return kind == Kind.PUT ? Optional.of(value) : Optional.empty();
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.PUT ? " " + value : "") + " via member " + member + " -> " + outcome
                + (version.isEmpty() ? "" : " v" + version);
    }
}
