package io.cachegrid.cluster;

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
 * @param antiEntropyIntervalSeconds seconds between anti-entropy passes (one also runs after each membership change)
 */
public record ClusterSettings(List<NodeAddress> peers, String discoveryDns, Optional<NodeAddress> advertise,
                              int replicationFactor, double membershipIntervalSeconds, double tombstoneSeconds,
                              double antiEntropyIntervalSeconds) {

    /** The default grace period of a tombstone, {@code CACHEGRID_TOMBSTONE_SECONDS}. */
    public static final double DEFAULT_TOMBSTONE_SECONDS = 300;

    /**
     * The default {@code CACHEGRID_ANTI_ENTROPY_INTERVAL}: a pass after every view change repairs what a change left
     * behind at once; the periodic pass only catches what slipped past replication while the view stood still (a
     * replica write that failed, a copy older than a tombstone that expired). Each pass walks every key held once
     * for the digests and once per asking peer, so 30 s keeps that a small share of a core even with millions of
     * keys, while a silent divergence lives at most half a minute.
     */
    public static final double DEFAULT_ANTI_ENTROPY_INTERVAL_SECONDS = 30;

    /** Settings with the default anti-entropy interval. */
    public ClusterSettings(List<NodeAddress> peers, String discoveryDns, Optional<NodeAddress> advertise,
                           int replicationFactor, double membershipIntervalSeconds, double tombstoneSeconds) {
        this(peers, discoveryDns, advertise, replicationFactor, membershipIntervalSeconds, tombstoneSeconds,
             DEFAULT_ANTI_ENTROPY_INTERVAL_SECONDS);
    }

    /** Settings with the default tombstone grace period. */
    public ClusterSettings(List<NodeAddress> peers, String discoveryDns, Optional<NodeAddress> advertise,
                           int replicationFactor, double membershipIntervalSeconds) {
        this(peers, discoveryDns, advertise, replicationFactor, membershipIntervalSeconds, DEFAULT_TOMBSTONE_SECONDS);
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

    public boolean enabled() {
        return !peers.isEmpty() || !discoveryDns.isEmpty();
    }
}
