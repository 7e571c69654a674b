package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Why: with plain {@code hash % N} almost every key moves when a member joins or leaves; on a consistent-hash ring
 * only the keys between the changed member's points and their predecessors move (about 1/N of them). Each member
 * is placed at {@code vnodes} pseudo-random points ({@link KeyHash} of {@code "host:port#i"}), which evens out the
 * share each member gets. The owners of a key are the first R distinct members met walking clockwise from the
 * key's hash.
 * <p>
 * Immutable: built from the live members whenever they change, and read without locks. Lookups are a binary
 * search plus a short walk.
 */
public final class HashRing {

    private final List<NodeAddress> members;
    private final long[] points;
    private final int[] owners;

    private HashRing(List<NodeAddress> members, long[] points, int[] owners) {
        this.members = members;
        this.points = points;
        this.owners = owners;
    }

    /** A ring over these members (order and duplicates do not matter) with {@code vnodes} points each. */
    public static HashRing of(Collection<NodeAddress> members, int vnodes) {
        if (vnodes < 1) {
            throw new IllegalArgumentException("vnodes must be >= 1, was " + vnodes);
        }
        List<NodeAddress> sorted = List.copyOf(new TreeSet<>(members));
        int n = sorted.size() * vnodes;
        long[] packed = new long[n];
        long[] pointOf = new long[n];
        Integer[] order = new Integer[n];
        int p = 0;
        for (int m = 0; m < sorted.size(); m++) {
            String name = sorted.get(m).toString();
            for (int v = 0; v < vnodes; v++) {
                pointOf[p] = KeyHash.of(name + "#" + v);
                packed[p] = m;
                order[p] = p;
                p++;
            }
        }
        // sort by point; a tie (vanishingly rare) is broken by member order, the same on every node
        Arrays.sort(order, (a, b) -> pointOf[a] != pointOf[b] ? Long.compare(pointOf[a], pointOf[b])
                : Long.compare(packed[a], packed[b]));
        long[] points = new long[n];
        int[] owners = new int[n];
        for (int i = 0; i < n; i++) {
            points[i] = pointOf[order[i]];
            owners[i] = (int) packed[order[i]];
        }
        return new HashRing(sorted, points, owners);
    }

    public List<NodeAddress> members() {
        return members;
    }

    /** The first {@code count} distinct members clockwise from the key (all members when there are fewer). */
    public List<NodeAddress> owners(String key, int count) {
        int wanted = Math.min(count, members.size());
        List<NodeAddress> result = new ArrayList<>(wanted);
        if (wanted == 0) {
            return result;
        }
        int i = firstAtOrAfter(KeyHash.of(key));
        boolean[] taken = new boolean[members.size()];
        while (result.size() < wanted) {
            int owner = owners[i];
            if (!taken[owner]) {
                taken[owner] = true;
                result.add(members.get(owner));
            }
            i = i + 1 == points.length ? 0 : i + 1;
        }
        return result;
    }

    /** Index of the first point >= hash, wrapping to 0 past the last one. */
    private int firstAtOrAfter(long hash) {
        int found = Arrays.binarySearch(points, hash);
        int i = found >= 0 ? found : -found - 1;
        return i == points.length ? 0 : i;
    }
}
