package io.cachegrid.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.cachegrid.api.ApiLimits;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.KeyVersion;
import io.cachegrid.engine.VersionPage;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Method;

/**
 * Why: replication and rebalancing move copies when something happens (a write, a change of members), so a copy
 * that missed its moment stays wrong: a member frozen or cut off while keys were overwritten and deleted comes back
 * with old values and deleted keys, and serves them. Anti-entropy finds and repairs such copies by comparison, not
 * by event: after every change of the live members and every {@code CACHEGRID_ANTI_ENTROPY_INTERVAL} seconds, this
 * node compares, with each other live member, the (key, version) of the keys both own, and each side ends with the
 * newer copy of each, live or deleted.
 * <p>
 * A pass, per peer: (1) both compute {@link Digests} over the keys they share, the peer after taking this node's
 * clear epoch (and this node takes the peer's) so a clear that one of them missed is applied first; (2) for the
 * buckets whose sums differ, this node pages through the peer's (key, version) list ({@code /cluster/versions})
 * and fetches every copy newer than its own ({@code /cluster/fetch}, stored via {@code Condition.newer} or a
 * versioned delete: pulled); (3) it pages through its own keys of those buckets, asks the peer which it would take
 * ({@code /cluster/compare}) and pushes those ({@code /cluster/push}: pushed). Every request is bounded (at most
 * {@link DigestService#MAX_PAGE} keys, {@link PushItems#MAX_BATCH_ITEMS} entries and
 * {@link PushItems#MAX_BATCH_BYTES} of values), and nothing holds more than one page of keys in memory. Since
 * every member does the same, each pair is compared from both ends; the second comparison finds equal digests.
 * <p>
 * Until a pass started after the latest change has completed with every peer, {@link #repairPending()} is true:
 * reads are then answered from the newest copy among the live members ({@link HandoffReads}). A failed pass (a
 * peer unreachable, any error) is retried with backoff ({@link RetryingTask}).
 */
final class AntiEntropy implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AntiEntropy.class.getName());

    private final CacheEngine engine;
    private final ApiLimits limits;
    private final PeerClient client;
    private final Supplier<ClusterView> views;
    private final Consumer<String> pulled;
    private final double intervalSeconds;
    private final AntiEntropyStats stats = new AntiEntropyStats();
    private final RetryingTask task;
    /** Changes of the live members seen; starts at 1: a node that just started has compared nothing yet. */
    private final AtomicLong changes = new AtomicLong(1);
    /** The last pass that completed with every peer. */
    private volatile Repaired repaired = new Repaired(0, List.of());

    /**
     * A completed pass: the change count at its start and the live members it compared with.
     *
     * @param change the change count read before the view the pass used
     * @param live   that view's live members
     */
    private record Repaired(long change, List<NodeAddress> live) {
    }

    AntiEntropy(CacheEngine engine, ApiLimits limits, PeerClient client, Supplier<ClusterView> views,
                double intervalSeconds) {
        this(engine, limits, client, views, intervalSeconds, key -> { });
    }

    /**
     * @param pulled told the key of every copy a pass stores here (a view change during the pass can leave one
     *               outside this node's share: {@link ClusterNode#replicaWritten} hands it over)
     */
    AntiEntropy(CacheEngine engine, ApiLimits limits, PeerClient client, Supplier<ClusterView> views,
                double intervalSeconds, Consumer<String> pulled) {
        this.pulled = pulled;
        this.engine = engine;
        this.limits = limits;
        this.client = client;
        this.views = views;
        this.intervalSeconds = intervalSeconds;
        this.task = new RetryingTask("anti-entropy", this::pass, Duration.ofMillis(500),
                Duration.ofNanos((long) (intervalSeconds * 1e9)));
    }

    /** Runs a first pass now and then one every interval. */
    void start() {
        task.request();
        task.every(Duration.ofNanos((long) (intervalSeconds * 1e9)));
    }

    /** The live members changed: a pass soon, and reads check the other copies until it completed. */
    void viewChanged() {
        changes.incrementAndGet();
        task.request();
    }

    /** Runs a pass soon (tests, operators). */
    void request() {
        task.request();
    }

    /**
     * Whether a change of members has not been followed by a completed pass yet. The members in the current view
     * count as well as the change count: membership installs a view (and reads route by it) before its listener
     * calls {@link #viewChanged()}, so for that moment only the view itself says that this node has not compared
     * with its new members yet (a joiner whose first pass ran alone would otherwise serve its empty engine).
     */
    boolean repairPending() {
        Repaired done = repaired;
        ClusterView view = views.get();
        return done.change() < changes.get() || (view != null && !view.live().equals(done.live()));
    }

    AntiEntropyStats stats() {
        return stats;
    }

    JsonWriter write(JsonWriter out) {
        return stats.write(out, intervalSeconds, repairPending());
    }

    /** One pass over every other live member; true when each was compared and repaired. */
    boolean pass() {
        long change = changes.get();
        ClusterView view = views.get();
        if (view == null) {
            return false;
        }
        long startedMillis = System.currentTimeMillis();
        long started = System.nanoTime();
        long differing = 0;
        boolean ok = true;
        try {
            List<NodeAddress> peers = new ArrayList<>(view.live());
            peers.remove(view.self());
            if (view.replicationFactor() > 1 && !peers.isEmpty()) {
                Map<NodeAddress, long[]> local = localSums(view, peers);
                for (NodeAddress peer : peers) {
                    try {
                        differing += withPeer(view, peer, local.get(peer));
                    } catch (PeerUnavailableException e) {
                        // not marked down from here: a peer busy with a large pass may answer late, and membership
                        // decides who is up; the pass is retried
                        ok = false;
                        LOG.log(System.Logger.Level.INFO, "anti-entropy with {0} not completed: {1}", peer,
                                e.getMessage());
                    } catch (RuntimeException e) {
                        ok = false;
                        LOG.log(System.Logger.Level.WARNING, "anti-entropy with {0} failed: {1}", peer, e.toString());
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            stats.finished(false, startedMillis, System.nanoTime() - started, differing);
            throw e;
        }
        stats.finished(ok, startedMillis, System.nanoTime() - started, differing);
        if (ok) {
            repaired = new Repaired(Math.max(repaired.change(), change), view.live()); // passes run one at a time
        }
        return ok;
    }

    /** This node's sums for every peer, in one walk over what it holds. */
    private Map<NodeAddress, long[]> localSums(ClusterView view, List<NodeAddress> peers) {
        Map<NodeAddress, long[]> sums = new HashMap<>();
        peers.forEach(peer -> sums.put(peer, new long[Digests.BUCKETS]));
        long cursor = VersionPage.START;
        do {
            VersionPage page = engine.scan(cursor, DigestService.MAX_PAGE, DigestService.WALK_KEY_BYTES);
            for (KeyVersion item : page.items()) {
                List<NodeAddress> owners = view.owners(item.key());
                if (!owners.contains(view.self())) {
                    continue;
                }
                long contribution = Digests.contribution(item);
                int bucket = Digests.bucket(item.key());
                for (NodeAddress owner : owners) {
                    long[] forOwner = sums.get(owner);
                    if (forOwner != null) {
                        forOwner[bucket] += contribution;
                    }
                }
            }
            cursor = page.cursor();
        } while (cursor != VersionPage.DONE);
        return sums;
    }

    /** Compares and repairs the keys shared with one peer; returns how many buckets differed. */
    private long withPeer(ClusterView view, NodeAddress peer, long[] mine) throws PeerUnavailableException {
        long epochBefore = engine.clearEpoch();
        Map<String, JsonSlice> answer = call(peer, DigestService.DIGEST_PATH, new JsonWriter().beginObject()
                .name("peer").value(view.self().toString())
                .name("epoch").value(Long.toUnsignedString(epochBefore)).endObject());
        long theirEpoch = Long.parseUnsignedLong(answer.get("epoch").asString());
        if (theirEpoch != 0 && Long.compareUnsigned(theirEpoch, engine.clearEpoch()) > 0) {
            engine.clear(theirEpoch); // a clear this node missed
        }
        if (engine.clearEpoch() != epochBefore) {
            mine = DigestService.sums(engine, view, view.self(), peer);
        }
        List<JsonSlice> theirs = answer.get("sums").elements();
        List<Integer> differing = new ArrayList<>();
        for (int bucket = 0; bucket < Digests.BUCKETS; bucket++) {
            if (Long.parseUnsignedLong(theirs.get(bucket).asString()) != mine[bucket]) {
                differing.add(bucket);
            }
        }
        stats.differing(differing.size());
        if (!differing.isEmpty()) {
            boolean[] selected = new boolean[Digests.BUCKETS];
            differing.forEach(bucket -> selected[bucket] = true);
            pull(view, peer, differing);
            push(view, peer, selected);
        }
        return differing.size();
    }

    /** Fetches every copy the peer holds newer than this node's, in the differing buckets. */
    private void pull(ClusterView view, NodeAddress peer, List<Integer> buckets) throws PeerUnavailableException {
        String cursor = "0";
        List<String> wanted = new ArrayList<>();
        for (int pages = 0; cursor != null && pages < Integer.MAX_VALUE; pages++) {
            JsonWriter request = new JsonWriter().beginObject().name("peer").value(view.self().toString())
                    .name("buckets").beginArray();
            buckets.forEach(request::value);
            request.endArray().name("cursor").value(cursor).name("limit").value(DigestService.MAX_PAGE).endObject();
            Map<String, JsonSlice> page = call(peer, DigestService.VERSIONS_PATH, request);
            long epoch = engine.clearEpoch();
            for (JsonSlice item : page.get("items").elements()) {
                Map<String, JsonSlice> fields = item.members();
                String key = fields.get("key").asString();
                long version = Long.parseUnsignedLong(fields.get("version").asString());
                KeyVersion held = engine.versionOf(key);
                boolean newer = held == null || Long.compareUnsigned(held.version(), version) < 0;
                if (newer && (epoch == 0 || Long.compareUnsigned(version, epoch) > 0)) {
                    wanted.add(key);
                    if (wanted.size() >= PushItems.MAX_BATCH_ITEMS) {
                        fetch(peer, wanted);
                        wanted.clear();
                    }
                }
            }
            JsonSlice next = page.get("cursor");
            cursor = next == null || next.kind() == JsonSlice.Kind.NULL ? null : next.asString();
        }
        fetch(peer, wanted);
    }

    /** Fetches and stores the peer's copies of {@code keys} (over older ones only), in answers of bounded size. */
    private void fetch(NodeAddress peer, List<String> keys) throws PeerUnavailableException {
        int from = 0;
        while (from < keys.size()) {
            JsonWriter request = new JsonWriter().beginObject().name("keys").beginArray();
            keys.subList(from, keys.size()).forEach(request::value);
            PeerResponse answer = send(peer, DigestService.FETCH_PATH, request.endArray().endObject());
            PushItems.Applied applied = PushItems.apply(engine, limits, answer.body(), pulled);
            stats.pulled(applied.stored());
            int answered = JsonSlice.parse(answer.body()).members().get("answered").asNumber().intValueExact();
            if (answered < 1) {
                throw new IllegalStateException("a fetch answered no key");
            }
            from += answered;
        }
    }

    /** Offers the peer this node's keys of the differing buckets and pushes the copies it would take. */
    private void push(ClusterView view, NodeAddress peer, boolean[] buckets) throws PeerUnavailableException {
        List<KeyVersion> offered = new ArrayList<>();
        long cursor = VersionPage.START;
        do {
            VersionPage page = engine.scan(cursor, DigestService.MAX_PAGE, DigestService.WALK_KEY_BYTES);
            for (KeyVersion item : page.items()) {
                if (buckets[Digests.bucket(item.key())] && Digests.sharedBy(view, item.key(), view.self(), peer)) {
                    offered.add(item);
                    if (offered.size() >= DigestService.MAX_PAGE) {
                        offer(peer, offered);
                        offered.clear();
                    }
                }
            }
            cursor = page.cursor();
        } while (cursor != VersionPage.DONE);
        offer(peer, offered);
    }

    private void offer(NodeAddress peer, List<KeyVersion> offered) throws PeerUnavailableException {
        if (offered.isEmpty()) {
            return;
        }
        JsonWriter request = new JsonWriter(64 * offered.size()).beginObject().name("items").beginArray();
        offered.forEach(item -> request.beginObject().name("key").value(item.key())
                .name("version").value(Long.toUnsignedString(item.version())).endObject());
        Map<String, JsonSlice> answer = call(peer, DigestService.COMPARE_PATH, request.endArray().endObject());
        PushItems.Batch batch = new PushItems.Batch(PushItems.batchBytes(limits));
        for (JsonSlice wanted : answer.get("wanted").elements()) {
            batch.addCurrent(engine, wanted.asString());
            if (batch.full()) {
                pushBatch(peer, batch);
                batch = new PushItems.Batch(PushItems.batchBytes(limits));
            }
        }
        pushBatch(peer, batch);
    }

    private void pushBatch(NodeAddress peer, PushItems.Batch batch) throws PeerUnavailableException {
        if (batch.size() == 0) {
            return;
        }
        PeerResponse answer = client.send(peer, Method.POST, ClusterService.PUSH_PATH, Internal.REPLICA, null,
                batch.body());
        if (!answer.ok()) {
            throw new IllegalStateException("push to " + peer + " refused: " + answer);
        }
        stats.pushed(JsonSlice.parse(answer.body()).members().get("stored").asNumber().longValue());
    }

    private Map<String, JsonSlice> call(NodeAddress peer, String path, JsonWriter body)
            throws PeerUnavailableException {
        return JsonSlice.parse(send(peer, path, body).body()).members();
    }

    private PeerResponse send(NodeAddress peer, String path, JsonWriter body) throws PeerUnavailableException {
        PeerResponse answer = client.send(peer, Method.POST, path, Internal.REPLICA, null, body.toByteArray());
        if (!answer.ok()) {
            throw new IllegalStateException(path + " at " + peer + " answered " + answer);
        }
        return answer;
    }

    @Override
    public void close() {
        task.close();
    }
}
