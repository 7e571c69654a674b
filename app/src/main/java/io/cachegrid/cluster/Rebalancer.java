package io.cachegrid.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.Stored;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Method;

/**
 * Why: when the live members change, some keys get owners that do not hold them (a new member, or the next member
 * taking over a dead one's share). Anti-entropy push: this node walks the keys it holds and pushes each (value and
 * remaining ttl, tags and version) to every other owner under the new ring, in bounded batches; the receiver stores
 * a copy only if it is newer than what it holds, live or deleted ({@code Condition.newer}: so an old copy never
 * overwrites a newer write nor brings back a key deleted since). A key this node no longer owns is dropped once every
 * owner confirmed the push. So a member that dies loses no key that had a live replica, and a joining member
 * receives its share from the others.
 * <p>
 * One run at a time on its own thread; a change during a run queues one more run; a run in which a push failed is
 * repeated after the next membership refresh.
 */
final class Rebalancer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Rebalancer.class.getName());

    /** Most entries per push request. */
    static final int MAX_BATCH_ITEMS = 500;
    /** Most value bytes per push request, unless one entry alone is larger (it is then sent on its own). */
    static final long MAX_BATCH_BYTES = 4L << 20;

    private final CacheEngine engine;
    private final PeerClient client;
    private final Supplier<ClusterView> views;
    private final Consumer<NodeAddress> reportDown;
    private final Runnable afterRun;
    private final long maxBatchBytes;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("cachegrid-rebalance").factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean lastRunFailed;

    /**
     * @param afterRun        called after each completed run
     * @param maxRequestBytes the request body limit of the members; a push batch stays well below it
     */
    Rebalancer(CacheEngine engine, PeerClient client, Supplier<ClusterView> views, Consumer<NodeAddress> reportDown,
               Runnable afterRun, long maxRequestBytes) {
        this.engine = engine;
        this.client = client;
        this.views = views;
        this.reportDown = reportDown;
        this.afterRun = afterRun;
        this.maxBatchBytes = Math.min(MAX_BATCH_BYTES, maxRequestBytes / 2);
    }

    /** Membership listener: run after a change, or again after a failed run. */
    void refreshed(ClusterView view, boolean liveChanged) {
        if (liveChanged || lastRunFailed) {
            request();
        }
    }

    void request() {
        if (!queued.compareAndSet(false, true)) {
            return; // a run is queued already and will see the newest view
        }
        try {
            worker.execute(() -> {
                queued.set(false);
                try {
                    lastRunFailed = !run(views.get());
                    afterRun.run();
                } catch (RuntimeException e) {
                    lastRunFailed = true;
                    LOG.log(System.Logger.Level.WARNING, "rebalancing failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.set(false); // closing
        }
    }

    /** One pass over the local keys; true when every push was confirmed. */
    boolean run(ClusterView view) {
        if (view.live().size() == 1) {
            return true; // alone: this node owns everything it holds and has nobody to push to
        }
        Map<NodeAddress, PushBatch> batches = new HashMap<>();
        Set<NodeAddress> failed = new HashSet<>();
        Map<String, List<NodeAddress>> toDrop = new LinkedHashMap<>();
        Map<String, Long> pushedVersions = new HashMap<>();
        long pushed = 0;
        for (String key : engine.keys("", Integer.MAX_VALUE).keys()) {
            Stored stored = engine.peekStored(key);
            if (stored == null) {
                continue; // expired or evicted since it was listed
            }
            byte[] value = stored.value().toByteArray();
            long ttlNanos = stored.ttlRemainingNanos();
            List<NodeAddress> owners = view.owners(key);
            for (NodeAddress owner : owners) {
                if (owner.equals(view.self()) || failed.contains(owner)) {
                    continue;
                }
                PushBatch batch = batches.computeIfAbsent(owner, o -> new PushBatch());
                batch.add(key, value, ttlNanos, stored.tags(), stored.version());
                pushed++;
                if (batch.size() >= MAX_BATCH_ITEMS || batch.bytes() >= maxBatchBytes) {
                    send(owner, batches.remove(owner), failed);
                }
            }
            if (!owners.contains(view.self())) {
                toDrop.put(key, owners);
                pushedVersions.put(key, stored.version());
            }
        }
        batches.forEach((owner, batch) -> send(owner, batch, failed));
        int dropped = drop(toDrop, pushedVersions, failed);
        if (pushed > 0 || dropped > 0) {
            LOG.log(System.Logger.Level.INFO, "rebalanced: {0} copies pushed, {1} keys handed over and dropped{2}",
                    pushed, dropped, failed.isEmpty() ? "" : "; unreachable: " + failed);
        }
        return failed.isEmpty();
    }

    private void send(NodeAddress owner, PushBatch batch, Set<NodeAddress> failed) {
        if (failed.contains(owner)) {
            return;
        }
        try {
            PeerResponse answer = client.send(owner, Method.POST, ClusterService.PUSH_PATH, Internal.REPLICA,
                    null, batch.body());
            if (!answer.ok()) {
                LOG.log(System.Logger.Level.WARNING, "push to {0} refused: {1}", owner, answer);
                failed.add(owner);
            }
        } catch (PeerUnavailableException e) {
            failed.add(owner);
            reportDown.accept(owner);
        }
    }

    /**
     * Drops keys whose every owner confirmed, unless the view changed meanwhile and this node owns them again; only
     * the version pushed (a newer write since is kept), and without a tombstone (nothing was deleted).
     */
    private int drop(Map<String, List<NodeAddress>> toDrop, Map<String, Long> versions, Set<NodeAddress> failed) {
        ClusterView now = views.get();
        int dropped = 0;
        for (Map.Entry<String, List<NodeAddress>> entry : toDrop.entrySet()) {
            boolean confirmed = entry.getValue().stream().noneMatch(failed::contains);
            if (confirmed && !now.owners(entry.getKey()).contains(now.self()) && engine.discard(entry.getKey(), versions.get(entry.getKey()))) {
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** One push request being filled: {@code {"items":[{"key","value","ttl","tags"?,"version"}...]}}. */
    private static final class PushBatch {
        private int count;
        private final JsonWriter out = new JsonWriter(4096)
                .beginObject().name("items").beginArray();
        private long bytes;

        void add(String key, byte[] value, long ttlNanos, List<String> tags, long version) {
            out.beginObject().name("key").value(key).name("value").rawValue(value).name("ttl");
            if (ttlNanos > 0) {
                out.value(ttlNanos / 1e9);
            } else {
                out.nullValue();
            }
            if (!tags.isEmpty()) {
                out.name("tags").beginArray();
                tags.forEach(out::value);
                out.endArray();
            }
            out.name("version").value(Long.toUnsignedString(version));
            out.endObject();
            count++;
            bytes += key.length() + value.length;
        }

        int size() {
            return count;
        }

        long bytes() {
            return bytes;
        }

        byte[] body() {
            return out.endArray().endObject().toByteArray();
        }
    }
}
