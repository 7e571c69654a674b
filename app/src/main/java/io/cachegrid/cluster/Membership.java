package io.cachegrid.cluster;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;

/**
 * Why: who is in the cluster, who has failed and how partitions heal is decided by JGroups (a TCP channel, see
 * {@link ChannelStack}), not by each node alone: every member installs the same views, so every member computes
 * the same ring for the same view id. This turns each installed view into a {@link ClusterView} (the view's members
 * by the HTTP address their JGroups address carries, {@link MemberAddress}; members listed in CACHEGRID_PEERS but
 * not in the view as down) and tells the listener, on a thread of its own so JGroups' threads never wait on us.
 * It also calls the listener every interval with the unchanged view, so work that failed (a rebalancing push) is
 * retried. A failed request never changes the view: JGroups alone decides membership.
 */
final class Membership implements Receiver, AutoCloseable {

    /**
     * Listens to every view change ({@code liveChanged}: the set of live members differs from before) and to the
     * periodic refresh (then {@code liveChanged} is false).
     */
    interface Listener {
        void refreshed(ClusterView view, boolean liveChanged);
    }

    static final String CLUSTER_NAME = "cachegrid";

    /** The view id shown before the first view is installed (JGroups numbers views from 0). */
    static final long NO_VIEW = -1;

    private static final System.Logger LOG = System.getLogger(Membership.class.getName());
    private static final String DNS_CACHE_TTL = "networkaddress.cache.ttl";

    private final SelfAddress self;
    private final ClusterSettings settings;
    private final String nodeId;
    private final String listenHost;
    private final int clusterPort;
    private final ConfiguredPeers peers;
    private final Listener listener;
    private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cachegrid-membership").factory());
    private volatile ClusterView view;
    private volatile View installed;
    private JChannel channel;

    Membership(SelfAddress self, ClusterSettings settings, String nodeId, String listenHost, int listenPort,
               Listener listener) {
        this.self = self;
        this.settings = settings;
        this.nodeId = nodeId;
        this.listenHost = listenHost;
        this.clusterPort = ClusterPort.of(listenPort, settings.clusterPort());
        this.peers = new ConfiguredPeers(settings.peers());
        this.listener = listener;
        this.view = ClusterView.of(self.address(), Map.of(), settings.replicationFactor(),
                ClusterSettings.RING_VNODES, NO_VIEW);
    }

    /** Connects the channel (joining the cluster, or forming one when no member answers) and starts the refresh. */
    void start() {
        if (!settings.discoveryDns().isEmpty()) {
            lowerDnsCache();
        }
        try {
            channel = new JChannel(ChannelStack.build(bindAddress(), clusterPort,
                    ChannelStack.initialHosts(settings.peers(), settings.clusterPort()), settings.discoveryDns(),
                    "", settings.failureTimeoutMillis(), settings.secret()));
            channel.addAddressGenerator(MemberAddress.generator(self.address(), nodeId));
            channel.setDiscardOwnMessages(true);
            channel.setReceiver(this);
            channel.connect(CLUSTER_NAME);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot join the cluster on port " + clusterPort + ": " + e.getMessage(),
                    e);
        }
        long interval = (long) (settings.membershipIntervalSeconds() * 1e9);
        events.scheduleWithFixedDelay(this::refreshQuietly, interval, interval, TimeUnit.NANOSECONDS);
    }

    ClusterView view() {
        return view;
    }

    /** The address the channel listens on, e.g. for the log: {@code host:port}. */
    String describe() {
        JChannel c = channel;
        Object physical = c == null ? null : c.down(new org.jgroups.Event(org.jgroups.Event.GET_PHYSICAL_ADDRESS,
                c.getAddress()));
        return "JGroups " + (physical == null ? "port " + clusterPort : physical) + ", discovery "
                + (settings.discoveryDns().isEmpty() ? "TCPPING " + ChannelStack.initialHosts(settings.peers(),
                settings.clusterPort()) : "DNS_PING " + settings.discoveryDns())
                + (settings.secret().isPresent() ? ", encrypted" : "");
    }

    @Override
    public void viewAccepted(View next) {
        installed = next;
        try {
            events.execute(() -> publish(next));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Builds the view's ClusterView and tells the listener; runs on the membership thread only. */
    private void publish(View jgroups) {
        if (jgroups != installed) {
            return; // a newer view is queued behind this one
        }
        Map<NodeAddress, Boolean> members = new LinkedHashMap<>();
        for (Address member : jgroups.getMembers()) {
            MemberAddress.http(member).ifPresent(http -> members.put(http, true));
        }
        for (NodeAddress missing : peers.missing(self, members.keySet())) {
            members.putIfAbsent(missing, false);
        }
        ClusterView previous = view;
        ClusterView next = ClusterView.of(self.address(), members, settings.replicationFactor(),
                ClusterSettings.RING_VNODES, jgroups.getViewId().getId());
        view = next;
        boolean changed = !previous.live().equals(next.live());
        LOG.log(System.Logger.Level.INFO, "cluster view {0}: members up {1}", next.viewId(), next.live());
        listener.refreshed(next, changed);
    }

    /** The periodic call: the same view again (names are resolved on view changes only). */
    private void refreshQuietly() {
        try {
            if (installed != null) {
                listener.refreshed(view, false);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "membership refresh failed", e);
        }
    }

    /**
     * DNS_PING asks for the members on each discovery round, but the JVM caches answers for 30 s by default, which
     * would hide a scaled-up pod for that long; unless the operator has set the cache time, it is lowered to 5 s.
     */
    private static void lowerDnsCache() {
        if (java.security.Security.getProperty(DNS_CACHE_TTL) == null
                && System.getProperty("sun.net.inetaddr.ttl") == null) {
            java.security.Security.setProperty(DNS_CACHE_TTL, "5");
        }
    }

    /**
     * The listen host when it is a specific address; for a wildcard listener, this node's advertised host when it
     * is an address of this machine (the pod IP, the container's address), else null (JGroups picks one).
     */
    private InetAddress bindAddress() throws UnknownHostException {
        InetAddress listen = InetAddress.getByName(listenHost);
        if (!listen.isAnyLocalAddress()) {
            return listen;
        }
        try {
            InetAddress advertised = InetAddress.getByName(self.address().host());
            if (advertised.isLoopbackAddress() || NetworkInterface.getByInetAddress(advertised) != null) {
                return advertised;
            }
        } catch (UnknownHostException | SocketException e) {
            // fall through
        }
        return null;
    }

    @Override
    public void close() {
        events.shutdownNow();
        JChannel c = channel;
        if (c != null) {
            c.close();
        }
    }
}
