package io.cachegrid.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.KeyVersion;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Method;

/**
 * Why: right after the live members change, the copy a key's primary holds may not be the newest one yet. Two
 * cases: a new owner may lack the key until the members that hold it have pushed it ({@link Rebalancer}); and a
 * member that comes back from a freeze, a partition or a restart holds old copies (or old deletes) until its
 * anti-entropy pass has compared them with the other owners' ({@link AntiEntropy}). A read served from such a copy
 * would return a value older than one already acknowledged, or bring back a deleted key.
 * <p>
 * So until this node's anti-entropy pass for the current members has completed, every single-key read it serves
 * as primary first asks the other live members for their copy ({@code POST /cluster/fetch}, concurrently, live
 * or tombstone, with its version), stores the newest if it is newer than its own ({@code Condition.newer} or a
 * versioned delete, decided under the key's lock: read repair), and then serves the read normally (a write it
 * decides as primary does the same first: {@link #repairBeforeWrite}). After that, for a window after each change
 * (and after each of our own rebalancing runs), only a miss asks. Outside both a read or write costs no extra hop.
 */
final class HandoffReads {

    /** How long a read waits for the other members' answers; a read should not wait long for a repair. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ClusterNode node;
    private final long windowNanos;
    private final BooleanSupplier repairPending;
    private volatile long until = System.nanoTime();

    /**
     * @param intervalSeconds the membership interval: peers notice a change within about one interval plus a health
     *                        check, so the window is two intervals and two seconds, restarted by every change and
     *                        by every rebalancing run of this node
     * @param repairPending   whether this node's anti-entropy has not yet completed a pass since the last change
     */
    HandoffReads(ClusterNode node, double intervalSeconds, BooleanSupplier repairPending) {
        this.node = node;
        this.windowNanos = (long) ((2 * intervalSeconds + 2) * 1e9);
        this.repairPending = repairPending;
    }

    /** The members changed, or this node finished pushing: keep asking for a while. */
    void extend() {
        until = Math.max(until, System.nanoTime() + windowNanos);
    }

    boolean active() {
        return System.nanoTime() - until < 0;
    }

    /**
     * Before this node serves a read of a key it owns: while repair is pending, brings in the newest copy among the
     * live members; during the handoff window, a copy this node lacks.
     */
    void repairIfMissing(String key, ClusterView view) {
        CacheEngine engine = node.engine();
        boolean pending = repairPending.getAsBoolean();
        if (!pending && (!active() || engine.peekStored(key) != null)) {
            return;
        }
        List<NodeAddress> others = new ArrayList<>(view.live());
        others.remove(view.self());
        if (others.isEmpty()) {
            return;
        }
        byte[] request = new JsonWriter().beginObject().name("keys").beginArray().value(key).endArray().endObject()
                .toByteArray();
        List<Future<PeerResponse>> answers = new ArrayList<>(others.size());
        ExecutorService askers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (NodeAddress other : others) {
                answers.add(askers.submit(() -> {
                    try {
                        return node.client().send(other, Method.POST, DigestService.FETCH_PATH, Internal.REPLICA,
                                null, request, TIMEOUT);
                    } catch (PeerUnavailableException e) {
                        return null; // membership will tell; a read does not mark members down here
                    }
                }));
            }
            byte[] newest = null;
            long newestVersion = 0;
            for (Future<PeerResponse> future : answers) {
                PeerResponse answer = future.get();
                if (answer == null || !answer.ok()) {
                    continue;
                }
                long version = versionIn(answer.body());
                if (version != 0 && (newest == null || Long.compareUnsigned(version, newestVersion) > 0)) {
                    newest = answer.body();
                    newestVersion = version;
                }
            }
            KeyVersion held = engine.versionOf(key);
            if (newest != null && (held == null || Long.compareUnsigned(held.version(), newestVersion) < 0)) {
                PushItems.apply(engine, node.limits(), newest); // stored only over an older copy, under the lock
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | PushItems.InvalidItem e) {
            // a broken answer: serve what this node holds
        } finally {
            askers.shutdown(); // every task ends within the timeout; nobody waits for them
        }
    }

    /**
     * Before this node decides a write of a key it owns: exactly as before a read. A counter, a compare-and-set or
     * set-if-absent decide on the copy held here; and every write takes its version from this node's clock, which
     * has not seen a copy it has not received: a delete (or put) decided without the newest copy could get a
     * version older than that copy, which the other owners would then keep (a deleted key that came back).
     */
    void repairBeforeWrite(String key, ClusterView view) {
        repairIfMissing(key, view);
    }

    /** The version of the one item of a fetch answer, or 0 when the member holds nothing for the key. */
    private static long versionIn(byte[] answer) {
        try {
            List<JsonSlice> items = JsonSlice.parse(answer).members().get("items").elements();
            return items.isEmpty() ? 0 : Long.parseUnsignedLong(items.getFirst().members().get("version").asString());
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
