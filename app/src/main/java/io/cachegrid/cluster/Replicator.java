package io.cachegrid.cluster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.cachegrid.api.CacheService;
import io.cachegrid.engine.Stored;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;

/**
 * Why: a write an owner applied must reach the other owners before the client is told it succeeded, so that the
 * loss of one node loses no acknowledged write. After the local service stored (or deleted) the key, and just
 * before its answer is sent, the entry as now held (value, remaining ttl and tags) is sent to every other live owner
 * concurrently, marked {@link Internal#REPLICA}. Best effort: an owner that cannot be reached is reported down and
 * will get the key from rebalancing; the client's answer is the local one either way.
 */
final class Replicator {

    /** The version a replicated copy is stored at (read by the owner's PUT handler, with {@link Internal#HEADER}). */
    static final HeaderName REPLICA_VERSION = HeaderNames.create(CacheService.REPLICA_VERSION_HEADER);

    private static final System.Logger LOG = System.getLogger(Replicator.class.getName());

    private final ClusterNode node;

    Replicator(ClusterNode node) {
        this.node = node;
    }

    /**
     * Called before the local answer to a PUT, DELETE or counter POST of {@code key} leaves; replicates a 200 only
     * (a refused conditional write changed nothing). A PUT or counter is copied as the entry is now held: value,
     * remaining ttl and tags, as a plain PUT.
     */
    void afterLocalWrite(Method method, String key, int status) {
        ClusterView view = node.view();
        if (status != 200 || view == null) {
            return;
        }
        List<NodeAddress> others = new ArrayList<>(view.owners(key));
        others.remove(view.self());
        if (others.isEmpty()) {
            return;
        }
        StringBuilder path = new StringBuilder("/cache/").append(KeyPaths.encode(key));
        byte[] body = null;
        Map<HeaderName, String> headers = Map.of();
        Method sent = method == Method.DELETE ? Method.DELETE : Method.PUT;
        if (sent == Method.DELETE) {
            // the delete travels with its version (the tombstone's), so an owner applies it over older copies only
            // and keeps a tombstone that refuses a late older copy; no tombstone means a newer write replaced it
            // meanwhile, and that write's own copy is on its way
            long deleted = node.engine().tombstoneVersion(key);
            if (deleted != 0) {
                headers = Map.of(REPLICA_VERSION, Long.toUnsignedString(deleted));
            } else if (node.engine().keepsTombstones()) {
                return;
            }
        } else {
            Stored stored = node.engine().peekStored(key);
            if (stored == null || stored.ttlRemainingNanos() == 0) {
                return; // evicted or expired at once: nothing to copy
            }
            body = stored.value().toByteArray();
            // the copy keeps the primary's version: an owner replaces its copy only by a newer one, so copies of
            // two writes that arrive out of order end as the newer one (and the ETag is the same on every owner)
            headers = Map.of(REPLICA_VERSION, Long.toUnsignedString(stored.version()));
            char separator = '?';
            if (stored.ttlRemainingNanos() > 0) {
                path.append(separator).append("ttl=").append(BigDecimal.valueOf(stored.ttlRemainingNanos(), 9)
                        .stripTrailingZeros().toPlainString());
                separator = '&';
            }
            if (!stored.tags().isEmpty()) {
                path.append(separator).append("tags=").append(tagsQuery(stored.tags()));
            }
        }
        send(others, sent, path.toString(), body, headers, key);
    }

    /** Tags as the value of a {@code ?tags=} query parameter: each percent-encoded, joined by commas. */
    static String tagsQuery(List<String> tags) {
        StringBuilder out = new StringBuilder();
        for (String tag : tags) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(KeyPaths.encode(tag));
        }
        return out.toString();
    }

    private void send(List<NodeAddress> owners, Method method, String path, byte[] body,
                      Map<HeaderName, String> headers, String key) {
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeAddress owner : owners) {
                senders.execute(() -> {
                    try {
                        PeerResponse answer = node.client().send(owner, method, path, Internal.REPLICA, null, body,
                                PeerClient.REQUEST_TIMEOUT, headers);
                        if (!answer.ok()) {
                            LOG.log(System.Logger.Level.WARNING, "replica {0} refused {1} of \"{2}\": {3}", owner,
                                    method.text(), key, answer);
                        }
                    } catch (PeerUnavailableException e) {
                        node.reportDown(owner);
                    }
                });
            }
        }
    }
}
