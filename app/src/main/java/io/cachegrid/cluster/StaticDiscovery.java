package io.cachegrid.cluster;

import java.util.List;

/** Why: the simplest membership, a list every node is given (CACHEGRID_PEERS), as in a compose file. */
final class StaticDiscovery implements Discovery {

    private final List<NodeAddress> peers;

    StaticDiscovery(List<NodeAddress> peers) {
        this.peers = List.copyOf(peers);
    }

    @Override
    public List<NodeAddress> members() {
        return peers;
    }

    @Override
    public String describe() {
        return "static list " + peers;
    }
}
