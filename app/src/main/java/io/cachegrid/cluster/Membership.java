package io.cachegrid.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;

/**
 * Why: who is in the cluster and who is up changes all the time (restarts, scaling, crashes). Every interval this
 * reads the member list from its {@link Discovery}, health-checks each peer ({@code GET /health} with a short
 * timeout, concurrently) and publishes a new {@link ClusterView}. A peer that fails a check, or that a request could
 * not reach ({@link #reportDown}), is down until a later check finds it healthy again.
 */
final class Membership implements AutoCloseable {

    /** Listens to every refresh; {@code liveChanged} says whether the set of live members differs from before. */
    interface Listener {
        void refreshed(ClusterView view, boolean liveChanged);
    }

    private static final System.Logger LOG = System.getLogger(Membership.class.getName());

    private final SelfAddress self;
    private final Discovery discovery;
    private final PeerClient client;
    private final int replicationFactor;
    private final Duration interval;
    private final Duration healthTimeout;
    private final Listener listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cachegrid-membership").factory());
    private final Object viewLock = new Object();
    private volatile ClusterView view;
    private List<NodeAddress> known;
    private String lastDiscoveryError;

    Membership(SelfAddress self, Discovery discovery, PeerClient client, int replicationFactor,
               double intervalSeconds, Listener listener) {
        this.self = self;
        this.discovery = discovery;
        this.client = client;
        this.replicationFactor = replicationFactor;
        this.interval = Duration.ofNanos((long) (intervalSeconds * 1e9));
        // long enough for a busy peer to answer, short enough that a dead one is noticed within about one interval
        this.healthTimeout = Duration.ofMillis(Math.clamp(interval.toMillis(), 500, 1000));
        this.listener = listener;
        this.known = List.of(self.address());
        this.view = ClusterView.of(self.address(), Map.of(), replicationFactor, ClusterSettings.RING_VNODES);
    }

    /** Runs a first refresh now, so the node starts with a real view, then one every interval. */
    void start() {
        refresh();
        timer.scheduleWithFixedDelay(this::refreshQuietly, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    ClusterView view() {
        return view;
    }

    String describe() {
        return discovery.describe();
    }

    /** A request could not reach the peer: route around it now rather than at the next health check. */
    void reportDown(NodeAddress peer) {
        ClusterView changed;
        synchronized (viewLock) {
            if (peer.equals(self.address()) || !view.isUp(peer)) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "peer {0} unreachable, marked down", peer);
            changed = view.without(peer, ClusterSettings.RING_VNODES);
            view = changed;
        }
        listener.refreshed(changed, true);
    }

    /** One refresh; runs on the membership thread only (and once from {@link #start()}). */
    void refresh() {
        try {
            known = self.normalise(discovery.members());
            lastDiscoveryError = null;
        } catch (RuntimeException e) {
            if (!e.getMessage().equals(lastDiscoveryError)) {
                LOG.log(System.Logger.Level.WARNING, "member discovery failed, keeping the last list: {0}",
                        e.getMessage());
                lastDiscoveryError = e.getMessage();
            }
        }
        Map<NodeAddress, Boolean> status = checkHealth(known);
        ClusterView previous;
        ClusterView next = ClusterView.of(self.address(), status, replicationFactor, ClusterSettings.RING_VNODES);
        synchronized (viewLock) {
            previous = view;
            view = next;
        }
        boolean changed = !previous.live().equals(next.live());
        if (changed) {
            LOG.log(System.Logger.Level.INFO, "cluster members up: {0} (of {1})", next.live(), known);
        }
        listener.refreshed(next, changed);
    }

    private Map<NodeAddress, Boolean> checkHealth(List<NodeAddress> members) {
        Map<NodeAddress, Future<Boolean>> checks = new HashMap<>();
        Map<NodeAddress, Boolean> status = new HashMap<>();
        try (ExecutorService checkers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeAddress member : members) {
                if (!member.equals(self.address())) {
                    checks.put(member, checkers.submit(() -> client.healthy(member, healthTimeout)));
                }
            }
            for (Map.Entry<NodeAddress, Future<Boolean>> check : checks.entrySet()) {
                status.put(check.getKey(), check.getValue().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        checks.keySet().forEach(member -> status.putIfAbsent(member, false));
        return status;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "membership refresh failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
