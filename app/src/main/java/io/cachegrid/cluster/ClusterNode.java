package io.cachegrid.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.cachegrid.api.ApiException;
import io.cachegrid.api.ApiLimits;
import io.cachegrid.api.WriteReplication;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.json.JsonWriter;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;

/**
 * Why: one place that wires a clustered node together (peer client, membership, rebalancer, router, status route)
 * and that the routes ask for the current view and for a request to the first reachable of several members.
 */
final class ClusterNode implements Cluster {

    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());

    /** Beyond a call's connect and read timeouts, how long its caller may wait (thread start-up, scheduling). */
    private static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);

    /** Runs forwarded requests, one virtual thread each, so their wait can be bounded as a whole. */
    private static final ExecutorService FORWARDERS = Executors.newVirtualThreadPerTaskExecutor();

    private final ClusterSettings settings;
    private final String nodeId;
    private final String listenHost;
    private final CacheEngine engine;
    private final ApiLimits limits;
    private final PeerClient client;
    private final HandoffReads handoff;
    private final Replicator replicator;
    private final BackgroundSender background = new BackgroundSender();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Parts of batches and fan-outs this node answered for a member over HTTP (see {@link ClusterRouter}). */
    private final LongAdder partsServed = new LongAdder();
    /** Opened when the first JGroups view is installed: routed requests wait for it ({@link ClusterRouter}). */
    private final CountDownLatch firstView = new CountDownLatch(1);
    private volatile Membership membership;
    private Rebalancer rebalancer;
    private final AntiEntropy antiEntropy;
    private final PauseDetector pauses;

    ClusterNode(ClusterSettings settings, String nodeId, String listenHost, CacheEngine engine, ApiLimits limits,
                Optional<String> peerAuthorization, Optional<Tls> peerTls) {
        this.client = new PeerClient(peerAuthorization, peerTls);
        settings.secret().ifPresent(secret -> client.signWith(new RequestSigner(secret)));
        this.settings = settings;
        this.nodeId = nodeId;
        this.listenHost = listenHost;
        this.engine = engine;
        this.limits = limits;
        this.antiEntropy = new AntiEntropy(engine, limits, client, this::view, settings.antiEntropyIntervalSeconds(),
                                           this::replicaWritten);
        // a pause longer than a membership check is a freeze the others have noticed: like a change of members
        this.pauses = new PauseDetector(Duration.ofNanos((long) (Math.max(1, settings.membershipIntervalSeconds())
                * 1e9)), this::paused);
        this.handoff = new HandoffReads(this, settings.membershipIntervalSeconds(),
                () -> antiEntropy.repairPending() || pauses.overdue());
        this.replicator = new Replicator(this, settings.writeAcks(), settings.replicationTimeout());
    }

    @Override
    public WriteReplication replication() {
        return replicator;
    }

    @Override
    public void install(HttpRouting.Builder routing) {
        // first: nothing of the cluster may see a member request before it is authenticated
        routing.addFilter(new PeerAuthFilter(settings.secret().map(SignatureCheck::new), this::view));
        routing.addFilter(new ClusterRouter(this));
        routing.register("/cluster/nodes", new MemberStatsService(this, engine, nodeId));
        routing.register("/cluster", new ClusterService(this, engine, nodeId), new DigestService(this, engine));
    }

    @Override
    public void start(int listenPort) {
        SelfAddress self = SelfAddress.resolve(settings, listenHost, listenPort);
        rebalancer = new Rebalancer(engine, client, this::view, this::reportDown, handoff::extend,
                limits.maxRequestBytes());
        Membership m = new Membership(self, settings, nodeId, listenHost, listenPort, (view, liveChanged) -> {
            firstView.countDown(); // view() returns it already
            if (liveChanged) {
                handoff.extend();
                antiEntropy.viewChanged();
            }
            rebalancer.refreshed(view, liveChanged);
        });
        membership = m;
        m.start();
        antiEntropy.start();
        pauses.start();
        LOG.log(System.Logger.Level.INFO, "cluster member {0} ({1}), R={2}, {3}; up: {4}",
                self.address(), nodeId, settings.replicationFactor(), m.describe(), m.view().live());
    }

    /**
     * The current view, or null before {@link #start(int)}; until the first view is installed, a placeholder with
     * this node alone ({@link ClusterView#installed()} false).
     */
    ClusterView view() {
        Membership m = membership;
        return m == null ? null : m.view();
    }

    /** The current view once one is installed, waiting at most {@code timeout} for the first; null if none came. */
    ClusterView awaitInstalledView(Duration timeout) {
        try {
            firstView.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ClusterView view = view();
        return view != null && view.installed() ? view : null;
    }

    /**
     * A request could not reach the peer. Membership is JGroups' decision alone (a slow answer is no proof of a
     * dead member, and one node's guess must not change its ring while the others keep theirs), so this only logs;
     * callers go on to the key's next owner.
     */
    void reportDown(NodeAddress peer) {
        LOG.log(System.Logger.Level.DEBUG, "peer {0} did not answer", peer);
    }

    /** How long an owner waits for another owner's copy of a write, or a coordinator for a batch part. */
    Duration replicationTimeout() {
        return settings.replicationTimeout();
    }

    /** How long this node waits for the owner it forwarded a request to (longer than any replication wait). */
    Duration forwardTimeout() {
        return settings.forwardTimeout();
    }

    /** Where copies that no answer waits for go ({@code CACHEGRID_WRITE_ACKS=one}): bounded, best effort. */
    BackgroundSender background() {
        return background;
    }

    WriteAcks writeAcks() {
        return settings.writeAcks();
    }

    /** This process was frozen (or paused) for a while: compare copies as after a change of members. */
    private void paused() {
        handoff.extend();
        antiEntropy.viewChanged();
    }

    /** The {@code anti_entropy} object of {@code GET /cluster}. */
    byte[] antiEntropyJson() {
        return antiEntropy.write(new JsonWriter()).toByteArray();
    }

    AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    HandoffReads handoff() {
        return handoff;
    }

    CacheEngine engine() {
        return engine;
    }

    ApiLimits limits() {
        return limits;
    }

    PeerClient client() {
        return client;
    }

    /**
     * This node's own answer to a part of a batch or fan-out, produced in-process by the services' own code (issue
     * 10: no node sends HTTP to itself), held as a peer's answer so that it is merged exactly like the others'.
     */
    static PeerResponse local(JsonWriter answer) {
        return new PeerResponse(200, MediaTypes.APPLICATION_JSON_VALUE, answer.toByteArray());
    }

    /**
     * A member wrote a copy of {@code key} here (a replica's single write, a write it sent here as to the key's
     * primary, a rebalancing or anti-entropy push, or a copy this node pulled). A member whose view is older (or newer) than this
     * node's can still send one after this node's rebalance pass for the change, when it no longer owns the key: a
     * copy no pass would ever hand over, and no delete would reach (deletes go to the owners). So a copy received
     * outside this node's share asks for one more pass, which pushes it to the owners (newer versions win there, a
     * tombstone included) and drops it here.
     */
    void replicaWritten(String key) {
        ClusterView current = view();
        if (current != null && current.installed() && rebalancer != null
                && !current.owners(key).contains(current.self())) {
            rebalancer.request();
        }
    }

    /** Counts a part of a batch or fan-out that a member sent this node over HTTP. */
    void partServed() {
        partsServed.increment();
    }

    /**
     * How many parts of batches and fan-outs members have sent this node over HTTP: since this node answers its own
     * parts in-process, only the others' (tests check that no node sends one to itself).
     */
    long partsServed() {
        return partsServed.sum();
    }

    /** One request to one member. */
    @FunctionalInterface
    interface PeerCall {
        PeerResponse send(NodeAddress member) throws PeerUnavailableException;
    }

    /**
     * Sends to every member at once, a virtual thread each, and waits for all answers (any status), in the order of
     * {@code members}. A member that cannot be reached has no answer in the result (and stays in the view: a
     * failed request is not a membership change).
     */
    Map<NodeAddress, PeerResponse> askEach(Collection<NodeAddress> members, PeerCall call) {
        return askEach(members, call, null);
    }

    /**
     * As {@link #askEach(Collection, PeerCall)}, waiting at most {@code timeout} (plus the connect timeout and a
     * margin) in all: a member whose call has not ended by then, say one blocked writing a large body to a peer that
     * stopped reading, has no answer and its call is interrupted (which closes its socket). Null: no limit beyond
     * each call's own timeouts.
     */
    Map<NodeAddress, PeerResponse> askEach(Collection<NodeAddress> members, PeerCall call, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + bounded(timeout).toNanos();
        Map<NodeAddress, Future<PeerResponse>> futures = new LinkedHashMap<>();
        Map<NodeAddress, PeerResponse> answers = new LinkedHashMap<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeAddress member : members) {
                futures.put(member, senders.submit(() -> {
                    try {
                        return call.send(member);
                    } catch (PeerUnavailableException e) {
                        LOG.log(System.Logger.Level.DEBUG, "member {0} did not answer: {1}", member, e.getMessage());
                        return null;
                    }
                }));
            }
            for (Map.Entry<NodeAddress, Future<PeerResponse>> future : futures.entrySet()) {
                PeerResponse answer = await(future.getValue(), deadline, future.getKey());
                if (answer != null) {
                    answers.put(future.getKey(), answer);
                }
            }
        }
        return answers;
    }

    /**
     * Sends the request to the first of {@code candidates} that answers (any status), waiting at most the
     * {@linkplain #forwardTimeout() forwarding timeout} for each; when one cannot be reached the next one is tried.
     * The failure is not reported to membership: a slow owner is not a dead one, and only membership decides.
     *
     * @throws PeerUnavailableException from the last candidate when none answered
     */
    PeerResponse ask(List<NodeAddress> candidates, Method method, String rawPath, String mode, String contentType,
                     byte[] body, Map<HeaderName, String> headers) throws PeerUnavailableException {
        PeerUnavailableException last = null;
        for (NodeAddress candidate : candidates) {
            try {
                // on its own virtual thread, so that a send blocked writing the body to an owner that stopped
                // reading is given up on at the deadline like one waiting for its answer
                Future<PeerResponse> sent = FORWARDERS.submit(() -> client.send(candidate, method, rawPath, mode,
                        contentType, body, forwardTimeout(), headers));
                return answerOf(sent, bounded(forwardTimeout()), candidate);
            } catch (PeerUnavailableException e) {
                last = e;
                LOG.log(System.Logger.Level.DEBUG, "owner {0} did not answer, trying the next: {1}", candidate,
                        e.getMessage());
            }
        }
        throw last != null ? last : new PeerUnavailableException(null, new IllegalStateException("no members"));
    }

    /** A call's own timeout plus the connect timeout and a margin: the longest a caller waits for it in all. */
    private static Duration bounded(Duration timeout) {
        return timeout.plus(PeerClient.CONNECT_TIMEOUT).plus(DEADLINE_MARGIN);
    }

    /** A forwarded request's answer, waited for at most {@code limit}. */
    private static PeerResponse answerOf(Future<PeerResponse> sent, Duration limit, NodeAddress candidate)
            throws PeerUnavailableException {
        try {
            return sent.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true); // frees its virtual thread even when blocked writing to the socket
            throw new PeerUnavailableException(candidate, e);
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PeerUnavailableException unavailable) {
                throw unavailable;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The call's answer, or null when it could not reach its member or has not ended by {@code deadline} (then it is
     * interrupted: a virtual thread blocked in socket I/O is released by closing the socket).
     */
    private static PeerResponse await(Future<PeerResponse> call, long deadline, NodeAddress member) {
        try {
            long left = deadline - System.nanoTime();
            return deadline == Long.MAX_VALUE ? call.get() : call.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            LOG.log(System.Logger.Level.DEBUG, "member {0} did not answer in time", member);
            return null;
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PeerUnavailableException) {
                return null;
            }
            if (e.getCause() instanceof ApiException refused) {
                throw refused; // this node's own part refused in-process ({@link #local}): its answer, as a peer's
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        Membership m = membership;
        if (m != null) {
            m.close();
        }
        if (rebalancer != null) {
            rebalancer.close();
        }
        antiEntropy.close();
        pauses.close();
        background.close();
        client.close();
    }
}
