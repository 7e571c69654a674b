package io.cachegrid.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Why: clustering is off unless a peer list or a discovery name is given, and every cluster setting is resolved and
 * validated with the others at start (see {@code CacheGridSettings}), so a node never starts half-configured.
 *
 * @param peers                     the static member list (may include this node); empty when not used
 * @param discoveryDns              a DNS name whose A/AAAA records are the members (all on this node's port); empty
 *                                  when not used
 * @param advertise                 how peers reach this node; empty to derive it (see {@link SelfAddress})
 * @param replicationFactor         copies of each key, on distinct members
 * @param membershipIntervalSeconds seconds between membership refreshes and health checks
 * @param tombstoneSeconds          how long a delete's tombstone is kept (see docs/cluster.md for the trade-off)
 * @param writeAcks                 how many owner copies confirm a write before the client's answer
 * @param replicationTimeoutSeconds how long an owner waits for another owner's copy of a write; a forwarded request
 *                                  waits longer ({@link #forwardTimeout()}), so the two never nest
 * @param clusterPort               the JGroups port; 0 to derive it from the HTTP port ({@link ClusterPort})
 * @param failureTimeoutSeconds     how long a frozen or unreachable member stays in the view
 * @param secret                    the members' shared secret; empty on a loopback-only cluster
 * @param antiEntropyIntervalSeconds seconds between anti-entropy passes (one also runs after each membership change)
 */
public record ClusterSettings(List<NodeAddress> peers, String discoveryDns, Optional<NodeAddress> advertise,
                              int replicationFactor, double membershipIntervalSeconds, double tombstoneSeconds,
                              WriteAcks writeAcks, double replicationTimeoutSeconds,
                              int clusterPort, double failureTimeoutSeconds, Optional<ClusterSecret> secret,
                              double antiEntropyIntervalSeconds) {

    /** The default of {@code CACHEGRID_FAILURE_TIMEOUT}: a frozen member is out of the view within about 5 s. */
    public static final double DEFAULT_FAILURE_TIMEOUT_SECONDS = 5;

    /** The default grace period of a tombstone, {@code CACHEGRID_TOMBSTONE_SECONDS}. */
    public static final double DEFAULT_TOMBSTONE_SECONDS = 300;

    /** The default {@code CACHEGRID_WRITE_ACKS}. */
    public static final WriteAcks DEFAULT_WRITE_ACKS = WriteAcks.QUORUM;

    /** The default {@code CACHEGRID_REPLICATION_TIMEOUT_SECONDS}. */
    public static final double DEFAULT_REPLICATION_TIMEOUT_SECONDS = 2;

    /**
     * What a forwarded request may spend on its owner besides the owner's replication: a handoff read (1 s) and a
     * large answer waiting for the response budget (2 s). See {@link #forwardTimeout()}.
     */
    static final Duration FORWARD_MARGIN = Duration.ofSeconds(3);

    /**
     * The default {@code CACHEGRID_ANTI_ENTROPY_INTERVAL}: a pass after every view change repairs what a change left
     * behind at once; the periodic pass only catches what slipped past replication while the view stood still (a
     * replica write that failed, a copy older than a tombstone that expired). Each pass walks every key held once
     * for the digests and once per asking peer, so 30 s keeps that a small share of a core even with millions of
     * keys, while a silent divergence lives at most half a minute.
     */
    public static final double DEFAULT_ANTI_ENTROPY_INTERVAL_SECONDS = 30;


    /** Settings with the default tombstone grace period. */
    public ClusterSettings(List<NodeAddress> peers, String discoveryDns, Optional<NodeAddress> advertise,
                           int replicationFactor, double membershipIntervalSeconds) {
        this(peers, discoveryDns, advertise, replicationFactor, membershipIntervalSeconds, DEFAULT_TOMBSTONE_SECONDS);
    }

    /**
     * Settings with the default write acknowledgements and replication timeout, a derived cluster port, the default
     * failure timeout, no secret and the default anti-entropy interval.
     */
    public ClusterSettings(List<NodeAddress> peers, String discoveryDns, Optional<NodeAddress> advertise,
                           int replicationFactor, double membershipIntervalSeconds, double tombstoneSeconds) {
        this(peers, discoveryDns, advertise, replicationFactor, membershipIntervalSeconds, tombstoneSeconds,
                DEFAULT_WRITE_ACKS, DEFAULT_REPLICATION_TIMEOUT_SECONDS, 0, DEFAULT_FAILURE_TIMEOUT_SECONDS,
                Optional.empty(), DEFAULT_ANTI_ENTROPY_INTERVAL_SECONDS);
    }

    /**
     * Virtual nodes per member on the hash ring; fixed, because every member must use the same number. A member's
     * share is a sum of {@code RING_VNODES} random arcs, so its spread shrinks as 1/sqrt(vnodes): over 200 random
     * three-member clusters the worst share was 34% off the fair third with 128, 18% with 256 and 11% with 512.
     * 512 points per member cost 4 KiB each and a rebuild of microseconds, so we take 512.
     */
    public static final int RING_VNODES = 512;

    public ClusterSettings {
        peers = List.copyOf(peers);
    }

    /** The tombstone grace period in nanoseconds. */
    public long tombstoneNanos() {
        return (long) (tombstoneSeconds * 1e9);
    }

    /** How long an owner waits for another owner to confirm its copy of a write (or a batch part to be stored). */
    public Duration replicationTimeout() {
        return Duration.ofNanos((long) (replicationTimeoutSeconds * 1e9));
    }

    /**
     * How long a member waits for the owner it forwarded a request to: the owner's own replication wait plus
     * {@link #FORWARD_MARGIN}, so an owner that is itself waiting on a stalled replica answers (with its copies, or
     * 503) before the forwarder gives up on it.
     */
    public Duration forwardTimeout() {
        return replicationTimeout().plus(FORWARD_MARGIN);
    }

    public boolean enabled() {
        return !peers.isEmpty() || !discoveryDns.isEmpty();
    }

    /**
     * True when every member address given (peers, advertise) is a loopback literal or {@code localhost}, and a
     * discovery name, if any, resolves to loopback addresses only: no other machine can then be a member. A
     * discovery name that cannot be resolved now counts as not loopback.
     */
    public boolean loopbackOnly() {
        return peers.stream().allMatch(ClusterSettings::loopback)
                && advertise.map(ClusterSettings::loopback).orElse(true)
                && (discoveryDns.isEmpty() || resolvesToLoopback(discoveryDns));
    }

    private static boolean resolvesToLoopback(String name) {
        try {
            return java.util.Arrays.stream(java.net.InetAddress.getAllByName(name))
                    .allMatch(java.net.InetAddress::isLoopbackAddress);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean loopback(NodeAddress address) {
        String host = address.host();
        return host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** The failure timeout in milliseconds. */
    public long failureTimeoutMillis() {
        return (long) (failureTimeoutSeconds * 1000);
    }
}
