package io.cachegrid.cluster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.helidon.http.Method;

/**
 * Why: a write an owner applied must reach the other owners before the client is told it succeeded, so that the
 * loss of one node loses no acknowledged write. After the local service stored (or deleted) the key, and just
 * before its answer is sent, the entry as now held (value and remaining ttl) is sent to every other live owner
 * concurrently, marked {@link Internal#REPLICA}. Best effort: an owner that cannot be reached is reported down and
 * will get the key from rebalancing; the client's answer is the local one either way.
 */
final class Replicator {

    private static final System.Logger LOG = System.getLogger(Replicator.class.getName());

    private final ClusterNode node;

    Replicator(ClusterNode node) {
        this.node = node;
    }

    /** Called before the local answer to a PUT or DELETE of {@code key} leaves; replicates a 200 only. */
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
        String path = "/cache/" + KeyPaths.encode(key);
        byte[] body = null;
        if (method == Method.PUT) {
            body = node.engine().peek(key);
            long ttlNanos = node.engine().ttlRemainingNanos(key);
            if (body == null || ttlNanos == 0 || ttlNanos == -2) {
                return; // evicted or expired at once: nothing to copy
            }
            if (ttlNanos > 0) {
                path += "?ttl=" + BigDecimal.valueOf(ttlNanos, 9).stripTrailingZeros().toPlainString();
            }
        }
        send(others, method, path, body, key);
    }

    private void send(List<NodeAddress> owners, Method method, String path, byte[] body, String key) {
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeAddress owner : owners) {
                senders.execute(() -> {
                    try {
                        PeerResponse answer = node.client().send(owner, method, path, Internal.REPLICA, null, body);
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
