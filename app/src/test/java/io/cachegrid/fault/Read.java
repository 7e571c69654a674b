package io.cachegrid.fault;

import java.util.Optional;

/**
 * Why: a cluster can end in the right state and still have answered stale values on the way (a restarted owner
 * serving an old copy it was just pushed), so clients also read while they write, and each read is judged by the
 * writes that were acknowledged before it began.
 *
 * @param key    the key read
 * @param member the member the read went to
 * @param start  when it was sent ({@link System#nanoTime()})
 * @param end    when its answer came
 * @param seen   the value found (empty: a miss)
 * @param detail the answer, for reports
 */
record Read(String key, int member, long start, long end, Optional<String> seen, String detail) {
}
