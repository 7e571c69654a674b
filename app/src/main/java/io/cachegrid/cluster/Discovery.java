package io.cachegrid.cluster;

import java.util.List;

/**
 * Why: where the member list comes from (a fixed list, a DNS name) is the one thing that differs between a compose
 * file and Kubernetes; membership, health and the ring are the same either way.
 */
interface Discovery {

    /**
     * The members as of now, this node possibly among them.
     *
     * @throws RuntimeException when the source cannot be read now; the caller keeps its last list
     */
    List<NodeAddress> members();

    /** What the member list comes from, for the log and {@code GET /cluster}. */
    String describe();
}
