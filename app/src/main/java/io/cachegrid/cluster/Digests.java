package io.cachegrid.cluster;

import java.util.List;

import io.cachegrid.engine.KeyVersion;

/**
 * Why: two members that own the same keys must find out cheaply whether their copies agree, and if not, which
 * keys to look at, without listing every key. Each side folds the (key, version, live-or-deleted) of every key both
 * own into one of {@link #BUCKETS} sums, chosen by the key's hash; equal sums mean (with overwhelming odds) equal
 * contents, and only the keys of buckets whose sums differ are then listed and compared.
 * <p>
 * The sum of a well-mixed 64-bit hash per key is independent of the order in which keys are met (each member walks
 * its own table in its own order) and changes with any one key's version. 1,024 buckets: a digest is 1,024 longs
 * (about 20 KB as JSON), and when a member missed a few hundred writes about that many buckets differ, so the
 * listing that follows covers a few hundred 1/1,024ths of the shared keys instead of all of them.
 */
final class Digests {

    /** Buckets per digest; a power of two, the same on every member. */
    static final int BUCKETS = 1024;

    private static final long MIX_1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX_2 = 0x94D049BB133111EBL;
    private static final long TOMBSTONE_SALT = 0x632BE59BD9B4E019L;

    private Digests() {
    }

    /** The bucket of a key, from its ring hash (bits unrelated to its ring position, which uses the whole hash). */
    static int bucket(String key) {
        return (int) (mix(KeyHash.of(key)) >>> 54) & (BUCKETS - 1);
    }

    /** What one key adds to its bucket's sum. */
    static long contribution(KeyVersion item) {
        return mix(KeyHash.of(item.key()) ^ mix(item.version() ^ (item.tombstone() ? TOMBSTONE_SALT : 0)));
    }

    /** Whether both members own the key in this view (so both should hold the same copy of it). */
    static boolean sharedBy(ClusterView view, String key, NodeAddress a, NodeAddress b) {
        List<NodeAddress> owners = view.owners(key);
        return owners.contains(a) && owners.contains(b);
    }

    /** The split-mix finalizer (Steele et al., "Fast splittable pseudorandom number generators", 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * MIX_1;
        z = (z ^ (z >>> 27)) * MIX_2;
        return z ^ (z >>> 31);
    }
}
