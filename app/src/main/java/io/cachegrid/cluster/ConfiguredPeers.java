package io.cachegrid.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Why: {@code GET /cluster} shows the members named in CACHEGRID_PEERS that are not in the view as down, so an
 * operator sees who is missing. A peer may be listed under another spelling than the one its member advertises
 * (localhost:p for 127.0.0.1:p, a container name for its IP): such a peer is that member, not a second one, so a
 * listed peer counts as present when its port is a live member's and their host names resolve to a common
 * address. Names are resolved when a view is built (a view change or a periodic refresh), never per request.
 */
final class ConfiguredPeers {

    private final List<NodeAddress> peers;

    ConfiguredPeers(List<NodeAddress> peers) {
        this.peers = List.copyOf(peers);
    }

    /** The listed peers that are neither this node nor any of the live members under another name. */
    List<NodeAddress> missing(SelfAddress self, Collection<NodeAddress> live) {
        return peers.stream()
                .filter(peer -> !self.is(peer) && live.stream().noneMatch(member -> same(peer, member)))
                .distinct().toList();
    }

    static boolean same(NodeAddress a, NodeAddress b) {
        if (a.equals(b)) {
            return true;
        }
        if (a.port() != b.port()) {
            return false;
        }
        Set<InetAddress> first = resolve(a.host());
        return resolve(b.host()).stream().anyMatch(first::contains);
    }

    private static Set<InetAddress> resolve(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).collect(Collectors.toSet());
        } catch (UnknownHostException e) {
            return Set.of();
        }
    }
}
