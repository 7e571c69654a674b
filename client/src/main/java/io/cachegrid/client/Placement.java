package io.cachegrid.client;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.json.JsonObject;

/**
 * Why: knowing where keys live saves a forwarding hop per call, but only while the client's ring matches the
 * cluster's view. A clustered server names its view in every answer ({@code X-CacheGrid-View}); when that differs
 * from the ring held here, the ring is fetched again ({@code GET /cluster}) in the background, one fetch at a time,
 * while calls go on with the old ring (a member that no longer owns a key forwards it). A single server sends no
 * view header, so a client of one never asks for a ring.
 */
final class Placement {
    private static final System.Logger LOG = System.getLogger(Placement.class.getName());

    private final boolean enabled;
    private final AtomicReference<ClusterRing> ring = new AtomicReference<>();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private volatile Supplier<JsonObject> fetcher;

    Placement(boolean enabled) {
        this.enabled = enabled;
    }

    /** How to read {@code GET /cluster}; set once by the client that owns this placement. */
    void fetchWith(Supplier<JsonObject> fetcher) {
        this.fetcher = fetcher;
    }

    /** The key's owners, primary first, or an empty list while no ring is known. */
    List<String> owners(String key) {
        ClusterRing current = ring.get();
        return key == null || current == null ? List.of() : current.owners(key);
    }

    /** The current ring, or null. */
    ClusterRing ring() {
        return ring.get();
    }

    /** An answer named this view: refresh the ring in the background if it is not the one held. */
    void observed(long viewId) {
        ClusterRing current = ring.get();
        if (!enabled || fetcher == null || (current != null && current.viewId() == viewId)) {
            return;
        }
        if (fetching.compareAndSet(false, true)) {
            Thread.ofVirtual().name("cachegrid-client-ring").start(this::refresh);
        }
    }

    /** Fetches the ring now (also used by tests and by callers who want routing from the first call). */
    void refresh() {
        try {
            ClusterRing fetched = ClusterRing.from(fetcher.get());
            if (fetched != null) {
                ring.set(fetched);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "could not read the cluster ring, routing through any host: {0}", e.toString());
        } finally {
            fetching.set(false);
        }
    }
}
