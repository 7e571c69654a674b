package io.cachegrid.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Why: with the ring a cluster reports in {@code GET /cluster} (its live members' addresses, virtual nodes per
 * member, replication factor and view id) the client computes each key's owners itself, as every member does for
 * that view, and sends the key to its primary: no forwarding hop. Immutable, replaced whole on a view change.
 */
final class ClusterRing {
    private final long viewId;
    private final int replicationFactor;
    private final List<String> members;
    private final long[] points;
    private final int[] owners;

    private ClusterRing(long viewId, int replicationFactor, List<String> members, int vnodes) {
        this.viewId = viewId;
        this.replicationFactor = replicationFactor;
        this.members = members;
        int n = members.size() * vnodes;
        long[][] byPoint = new long[n][];
        for (int m = 0, p = 0; m < members.size(); m++) {
            for (int v = 0; v < vnodes; v++) {
                byPoint[p++] = new long[] {RingHash.of(members.get(m) + "#" + v), m};
            }
        }
        // ties (vanishingly rare) broken by member order, as the servers do
        Arrays.sort(byPoint, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        this.points = new long[n];
        this.owners = new int[n];
        for (int i = 0; i < n; i++) {
            points[i] = byPoint[i][0];
            owners[i] = (int) byPoint[i][1];
        }
    }

    /** The ring of a {@code GET /cluster} answer, or null when it has none (no live member, no vnode count). */
    static ClusterRing from(JsonObject cluster) {
        int vnodes = cluster.getInt("ring_vnodes", 0);
        int replicationFactor = cluster.getInt("replication_factor", 0);
        TreeSet<String> live = new TreeSet<>(); // the servers sort members by address; so do we
        for (JsonValue member : cluster.getJsonArray("members")) {
            JsonObject m = member.asJsonObject();
            if ("up".equals(m.getString("status", ""))) {
                live.add(m.getString("address"));
            }
        }
        if (vnodes < 1 || replicationFactor < 1 || live.isEmpty()) {
            return null;
        }
        long viewId = cluster.containsKey("view_id") ? cluster.getJsonNumber("view_id").longValue() : -1;
        return new ClusterRing(viewId, replicationFactor, List.copyOf(live), vnodes);
    }

    long viewId() {
        return viewId;
    }

    /** The key's owners ("host:port"), primary first. */
    List<String> owners(String key) {
        int wanted = Math.min(replicationFactor, members.size());
        List<String> result = new ArrayList<>(wanted);
        int found = Arrays.binarySearch(points, RingHash.of(key));
        int i = found >= 0 ? found : -found - 1;
        boolean[] taken = new boolean[members.size()];
        while (result.size() < wanted) {
            i = i == points.length ? 0 : i;
            int owner = owners[i++];
            if (!taken[owner]) {
                taken[owner] = true;
                result.add(members.get(owner));
            }
        }
        return result;
    }

    /** The key's primary owner. */
    String primary(String key) {
        return owners(key).getFirst();
    }
}
