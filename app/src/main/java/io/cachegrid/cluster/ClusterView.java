package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why: every routing decision of one request must use one consistent picture of the cluster (who is up, where each
 * key lives), while membership changes underneath. A view is immutable and replaced whole; the ring in it holds
 * only the members that are up, so a key's owners are its first R live members clockwise. The members that are up
 * are those of the installed JGroups view, which every member agrees on, so every member computes the same owners
 * for the same {@link #viewId()}.
 *
 * @param self              this node's address
 * @param members           every known member (this node included) and whether it is up: the view's members are
 *                          up, members named in CACHEGRID_PEERS but not in the view are down
 * @param ring              the ring over the members that are up
 * @param replicationFactor R
 * @param viewId            the id of the JGroups view this was built from: the ring version
 */
record ClusterView(NodeAddress self, Map<NodeAddress, Boolean> members, HashRing ring, int replicationFactor,
                   long viewId) {

    static ClusterView of(NodeAddress self, Map<NodeAddress, Boolean> members, int replicationFactor, int vnodes) {
        return of(self, members, replicationFactor, vnodes, 0);
    }

    static ClusterView of(NodeAddress self, Map<NodeAddress, Boolean> members, int replicationFactor, int vnodes,
                          long viewId) {
        Map<NodeAddress, Boolean> sorted = new TreeMap<>(members);
        sorted.put(self, true); // a node serving requests is up for itself
        List<NodeAddress> live = new ArrayList<>();
        sorted.forEach((member, up) -> {
            if (up) {
                live.add(member);
            }
        });
        return new ClusterView(self, Collections.unmodifiableMap(sorted), HashRing.of(live, vnodes),
                replicationFactor, viewId);
    }

    /** The members that are up, in address order. */
    List<NodeAddress> live() {
        return ring.members();
    }

    /** The key's owners: its first R live members clockwise, primary first. */
    List<NodeAddress> owners(String key) {
        return ring.owners(key, replicationFactor);
    }

    /** The owners with this node first when it is one of them, so a node serves what it holds itself. */
    List<NodeAddress> ownersSelfFirst(String key) {
        List<NodeAddress> owners = owners(key);
        if (!owners.contains(self) || owners.get(0).equals(self)) {
            return owners;
        }
        List<NodeAddress> reordered = new ArrayList<>(owners.size());
        reordered.add(self);
        owners.stream().filter(o -> !o.equals(self)).forEach(reordered::add);
        return reordered;
    }

    /** Whether this is a view JGroups installed, not the placeholder (this node alone) held before the first. */
    boolean installed() {
        return viewId != Membership.NO_VIEW;
    }

    boolean isUp(NodeAddress member) {
        return Boolean.TRUE.equals(members.get(member));
    }
}
