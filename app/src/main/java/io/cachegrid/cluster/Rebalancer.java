package io.cachegrid.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.KeyVersion;
import io.cachegrid.engine.Stored;
import io.cachegrid.engine.VersionPage;
import io.helidon.http.Method;

/**
 * Why: when the live members change, some keys get owners that do not hold them (a new member, or the next member
 * taking over a dead one's share). This node walks what it holds, live entries and tombstones, and pushes each
 * (value and remaining ttl, tags and version; a tombstone with what is left of its grace period, so a new owner
 * learns of deletes too) to every other owner under the new ring. The receiver stores a copy only if it is newer
 * than what it holds, live or deleted ({@code Condition.newer}: an old copy never overwrites a newer write nor
 * brings back a key deleted since). A live key this node no longer owns is dropped once every owner confirmed the
 * push. So a member that dies loses no key that had a live replica, and a joining member receives its share.
 * <p>
 * Memory stays bounded whatever the node holds: the walk goes in pages of {@link #PAGE_KEYS} keys
 * ({@link CacheEngine#scan}), each page's copies are read one at a time ({@link CacheEngine#peekStored}, value,
 * ttl, tags and version of one write), sent in requests of at most {@link PushItems#MAX_BATCH_ITEMS} entries /
 * {@link PushItems#MAX_BATCH_BYTES}, and the page's hand-overs are dropped before the next page is read. (It once
 * listed every key at once: 2.3M keys ended in an OutOfMemoryError that killed the thread for good.)
 * <p>
 * One run at a time on its own thread ({@link RetryingTask}); a change during a run queues one more; a run that
 * fails in any way (a push refused or unreachable, any throwable) is retried with backoff until one completes.
 */
final class Rebalancer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Rebalancer.class.getName());

    /** Keys per page of the walk. */
    static final int PAGE_KEYS = 500;
    /** Key bytes per page of the walk. */
    static final long PAGE_KEY_BYTES = 256 * 1024;

    private final CacheEngine engine;
    private final PeerClient client;
    private final Supplier<ClusterView> views;
    private final Consumer<NodeAddress> reportDown;
    private final long batchBytes;
    private final RetryingTask task;

    /**
     * @param afterRun        called after each run
     * @param maxRequestBytes the request body limit of the members; a push batch stays well below it
     */
    Rebalancer(CacheEngine engine, PeerClient client, Supplier<ClusterView> views, Consumer<NodeAddress> reportDown,
               Runnable afterRun, long maxRequestBytes) {
        this(engine, client, views, reportDown, afterRun, maxRequestBytes, Duration.ofSeconds(1),
             Duration.ofSeconds(30));
    }

    /** As above, retrying a failed run after {@code firstBackoff}, doubling up to {@code maxBackoff}. */
    Rebalancer(CacheEngine engine, PeerClient client, Supplier<ClusterView> views, Consumer<NodeAddress> reportDown,
               Runnable afterRun, long maxRequestBytes, Duration firstBackoff, Duration maxBackoff) {
        this.batchBytes = Math.min(PushItems.MAX_BATCH_BYTES, maxRequestBytes / 2);
        this.engine = engine;
        this.client = client;
        this.views = views;
        this.reportDown = reportDown;
        this.task = new RetryingTask("rebalance", () -> {
            boolean done = run(views.get());
            afterRun.run();
            return done;
        }, firstBackoff, maxBackoff);
    }

    /** Membership listener: run after a change, or again after a failed run. */
    void refreshed(ClusterView view, boolean liveChanged) {
        if (liveChanged || task.lastFailed()) {
            request();
        }
    }

    void request() {
        task.request();
    }

    /** One pass over what this node holds; true when every push was confirmed. */
    boolean run(ClusterView view) {
        if (view == null || view.live().size() == 1) {
            return true; // alone: this node owns everything it holds and has nobody to push to
        }
        Set<NodeAddress> failed = new HashSet<>();
        long pushed = 0;
        long dropped = 0;
        long cursor = VersionPage.START;
        do {
            VersionPage page = engine.scan(cursor, PAGE_KEYS, PAGE_KEY_BYTES);
            Page work = new Page();
            for (KeyVersion item : page.items()) {
                pushed += work.add(view, item, failed);
                for (Map.Entry<NodeAddress, PushItems.Batch> full : work.fullBatches()) {
                    send(full.getKey(), full.getValue(), failed);
                    work.batches.remove(full.getKey());
                }
            }
            work.batches.forEach((owner, batch) -> send(owner, batch, failed));
            dropped += drop(work.toDrop, failed);
            cursor = page.cursor();
        } while (cursor != VersionPage.DONE);
        if (pushed > 0 || dropped > 0) {
            LOG.log(System.Logger.Level.INFO, "rebalanced: {0} copies pushed, {1} keys handed over and dropped{2}",
                    pushed, dropped, failed.isEmpty() ? "" : "; unreachable: " + failed);
        }
        return failed.isEmpty();
    }

    /** One page's pushes, per owner, and its live keys to hand over (key, version pushed, owners). */
    private final class Page {
        final Map<NodeAddress, PushItems.Batch> batches = new HashMap<>();
        final List<HandOver> toDrop = new ArrayList<>();

        /** Adds the key's copy to its other owners' batches; returns how many copies that is. */
        int add(ClusterView view, KeyVersion item, Set<NodeAddress> failed) {
            List<NodeAddress> owners = view.owners(item.key());
            Stored stored = item.tombstone() ? null : engine.peekStored(item.key());
            if (!item.tombstone() && stored == null) {
                return 0; // expired or deleted since the page was read
            }
            int copies = 0;
            for (NodeAddress owner : owners) {
                if (owner.equals(view.self()) || failed.contains(owner)) {
                    continue;
                }
                PushItems.Batch batch = batches.computeIfAbsent(owner, o -> new PushItems.Batch(batchBytes));
                if (stored != null) {
                    batch.add(item.key(), stored);
                } else {
                    batch.addTombstone(item.key(), item.version(), item.remainingNanos());
                }
                copies++;
            }
            if (stored != null && !owners.contains(view.self())) {
                toDrop.add(new HandOver(item.key(), stored.version(), owners));
            }
            return copies;
        }

        List<Map.Entry<NodeAddress, PushItems.Batch>> fullBatches() {
            List<Map.Entry<NodeAddress, PushItems.Batch>> full = new ArrayList<>(1);
            batches.entrySet().stream().filter(e -> e.getValue().full()).forEach(full::add);
            return full;
        }
    }

    /** A live key pushed to its owners, to be dropped here at the version pushed once they all confirmed. */
    private record HandOver(String key, long version, List<NodeAddress> owners) {
    }

    private void send(NodeAddress owner, PushItems.Batch batch, Set<NodeAddress> failed) {
        if (failed.contains(owner) || batch.size() == 0) {
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
    private int drop(List<HandOver> handOvers, Set<NodeAddress> failed) {
        if (handOvers.isEmpty()) {
            return 0;
        }
        ClusterView now = views.get();
        int dropped = 0;
        for (HandOver handOver : handOvers) {
            boolean confirmed = handOver.owners().stream().noneMatch(failed::contains);
            if (confirmed && !now.owners(handOver.key()).contains(now.self())
                    && engine.discard(handOver.key(), handOver.version())) {
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public void close() {
        task.close();
    }
}
