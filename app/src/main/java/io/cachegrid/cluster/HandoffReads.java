package io.cachegrid.cluster;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.EntryTooLargeException;
import io.cachegrid.json.JsonSlice;
import io.helidon.http.Method;

/**
 * Why: right after the live members change, a key can have an owner that does not hold it yet: the members that
 * do hold it push it only once they have noticed the change and walked their keys ({@link Rebalancer}). Without
 * help, a read served by such an owner in that window would be a miss although the key survives elsewhere.
 * <p>
 * So for a while after each change (and after each of our own rebalancing runs) an owner that misses a key asks
 * every other live member for it ({@code GET /admin/entry/{key}}, concurrently, first hit wins), stores the copy
 * at its version if it is newer than what this node holds, live or deleted (read repair, keeping the remaining ttl
 * and the tags; a copy older than a tombstone here stays out), and then serves the read normally. Outside the
 * window a miss is a miss, with no extra hop.
 */
final class HandoffReads {

    /** How long a read waits for the other members' answers; a read should not wait long for a repair. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ClusterNode node;
    private final long windowNanos;
    private volatile long until = System.nanoTime();

    /**
     * @param intervalSeconds the membership interval: peers notice a change within about one interval plus a health
     *                        check, so the window is two intervals and two seconds, restarted by every change and
     *                        by every rebalancing run of this node
     */
    HandoffReads(ClusterNode node, double intervalSeconds) {
        this.node = node;
        this.windowNanos = (long) ((2 * intervalSeconds + 2) * 1e9);
    }

    /** The members changed, or this node finished pushing: keep asking for a while. */
    void extend() {
        until = Math.max(until, System.nanoTime() + windowNanos);
    }

    boolean active() {
        return System.nanoTime() - until < 0;
    }

    /** During the window, fetches a key this owner lacks from the other live members. */
    void repairIfMissing(String key, ClusterView view) {
        CacheEngine engine = node.engine();
        if (!active() || engine.peek(key) != null) {
            return;
        }
        List<NodeAddress> others = new ArrayList<>(view.live());
        others.remove(view.self());
        if (others.isEmpty()) {
            return;
        }
        String path = "/admin/entry/" + KeyPaths.encode(key);
        ExecutorService askers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            CompletionService<PeerResponse> answers = new ExecutorCompletionService<>(askers);
            for (NodeAddress other : others) {
                answers.submit(() -> {
                    try {
                        return node.client().send(other, Method.GET, path, Internal.REPLICA, null, null, TIMEOUT);
                    } catch (PeerUnavailableException e) {
                        return null; // the health checks will tell; a read does not mark members down here
                    }
                });
            }
            for (int i = 0; i < others.size(); i++) {
                PeerResponse answer = answers.take().get();
                if (answer != null && answer.ok() && store(engine, key, answer.body())) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            askers.shutdown(); // the slower answers finish on their own; nobody waits for them
        }
    }

    /**
     * Stores the entry of an {@code /admin/entry} answer at its version unless this node holds that version or a
     * newer one (live or as a tombstone); true if it exists there.
     */
    private static boolean store(CacheEngine engine, String key, byte[] entry) {
        Map<String, JsonSlice> fields = JsonSlice.parse(entry).members();
        if (fields.get("exists").kind() != JsonSlice.Kind.TRUE) {
            return false;
        }
        JsonSlice ttl = fields.get("ttl_remaining_seconds");
        long ttlNanos = ttl.kind() == JsonSlice.Kind.NULL ? 0
                : Math.max(1, ttl.asNumber().multiply(BigDecimal.valueOf(1_000_000_000L)).longValue());
        JsonSlice tags = fields.get("tags");
        List<String> tagged = tags == null ? List.of() : tags.elements().stream().map(JsonSlice::asString).toList();
        JsonSlice version = fields.get("version");
        if (version == null) {
            return false; // a member that does not say the version: its copy cannot be ordered against ours
        }
        try {
            engine.putIf(key, fields.get("value").bytes(), ttlNanos, tagged,
                         Condition.newer(Long.parseUnsignedLong(version.asString())));
        } catch (EntryTooLargeException e) {
            return false;
        }
        return true;
    }
}
