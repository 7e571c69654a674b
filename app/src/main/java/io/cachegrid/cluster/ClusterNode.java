package io.cachegrid.cluster;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.cachegrid.api.ApiLimits;
import io.cachegrid.engine.CacheEngine;
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

    private final ClusterSettings settings;
    private final String nodeId;
    private final String listenHost;
    private final CacheEngine engine;
    private final ApiLimits limits;
    private final PeerClient client;
    private final HandoffReads handoff;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Membership membership;
    private Rebalancer rebalancer;

    ClusterNode(ClusterSettings settings, String nodeId, String listenHost, CacheEngine engine, ApiLimits limits,
                Optional<String> peerAuthorization, Optional<Tls> peerTls) {
        this.client = new PeerClient(peerAuthorization, peerTls);
        this.settings = settings;
        this.nodeId = nodeId;
        this.listenHost = listenHost;
        this.engine = engine;
        this.limits = limits;
        this.handoff = new HandoffReads(this, settings.membershipIntervalSeconds());
    }

    @Override
    public void install(HttpRouting.Builder routing) {
        routing.addFilter(new ClusterRouter(this));
        routing.register("/cluster/nodes", new MemberStatsService(this, engine, nodeId));
        routing.register("/cluster", new ClusterService(this, engine, nodeId));
    }

    @Override
    public void start(int listenPort) {
        SelfAddress self = SelfAddress.resolve(settings, listenHost, listenPort);
        Discovery discovery = settings.peers().isEmpty()
                ? new DnsDiscovery(settings.discoveryDns(), listenPort, settings.membershipIntervalSeconds())
                : new StaticDiscovery(settings.peers());
        rebalancer = new Rebalancer(engine, client, this::view, this::reportDown, handoff::extend,
                limits.maxRequestBytes());
        Membership m = new Membership(self, discovery, client, settings.replicationFactor(),
                settings.membershipIntervalSeconds(), (view, liveChanged) -> {
                    if (liveChanged) {
                        handoff.extend();
                    }
                    rebalancer.refreshed(view, liveChanged);
                });
        membership = m;
        m.start();
        LOG.log(System.Logger.Level.INFO, "cluster member {0} ({1}), R={2}, members from {3}; up: {4}",
                self.address(), nodeId, settings.replicationFactor(), discovery.describe(), m.view().live());
    }

    /** The current view, or null before {@link #start(int)} (requests are then served locally). */
    ClusterView view() {
        Membership m = membership;
        return m == null ? null : m.view();
    }

    void reportDown(NodeAddress peer) {
        Membership m = membership;
        if (m != null) {
            m.reportDown(peer);
        }
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

    /** One request to one member. */
    @FunctionalInterface
    interface PeerCall {
        PeerResponse send(NodeAddress member) throws PeerUnavailableException;
    }

    /**
     * Sends to every member at once, a virtual thread each, and waits for all answers (any status), in the order of
     * {@code members}. A member that cannot be reached is reported down and has no answer in the result.
     */
    Map<NodeAddress, PeerResponse> askEach(Collection<NodeAddress> members, PeerCall call) {
        Map<NodeAddress, Future<PeerResponse>> futures = new LinkedHashMap<>();
        Map<NodeAddress, PeerResponse> answers = new LinkedHashMap<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeAddress member : members) {
                futures.put(member, senders.submit(() -> {
                    try {
                        return call.send(member);
                    } catch (PeerUnavailableException e) {
                        reportDown(member);
                        return null;
                    }
                }));
            }
            for (Map.Entry<NodeAddress, Future<PeerResponse>> future : futures.entrySet()) {
                PeerResponse answer = future.getValue().get();
                if (answer != null) {
                    answers.put(future.getKey(), answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return answers;
    }

    /**
     * Sends the request to the first of {@code candidates} that answers (any status); a member that cannot be
     * reached is reported down and the next one is tried.
     *
     * @throws PeerUnavailableException from the last candidate when none answered
     */
    PeerResponse ask(List<NodeAddress> candidates, Method method, String rawPath, String mode, String contentType,
                     byte[] body, Map<HeaderName, String> headers) throws PeerUnavailableException {
        PeerUnavailableException last = null;
        for (NodeAddress candidate : candidates) {
            try {
                return client.send(candidate, method, rawPath, mode, contentType, body, PeerClient.REQUEST_TIMEOUT,
                        headers);
            } catch (PeerUnavailableException e) {
                last = e;
                reportDown(candidate);
            }
        }
        throw last != null ? last : new PeerUnavailableException(null, new IllegalStateException("no members"));
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
        client.close();
    }
}
