package io.cachegrid.cluster;

import java.util.Optional;

import io.cachegrid.api.ApiLimits;
import io.cachegrid.api.WriteReplication;
import io.cachegrid.engine.CacheEngine;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.http.HttpRouting;

/**
 * Why: clustering is optional and the composition root should not be sprinkled with "if clustered". A node asks for
 * its cluster once; without CACHEGRID_PEERS or CACHEGRID_DISCOVERY_DNS it gets {@link #standalone()}, which adds no
 * route, no filter and no thread, so the node behaves exactly as a single server.
 */
public interface Cluster extends AutoCloseable {

    /** The cluster these settings describe, or the standalone no-op when they switch clustering off. */
    static Cluster create(ClusterSettings settings, String nodeId, String listenHost, CacheEngine engine,
                          ApiLimits limits) {
        return create(settings, nodeId, listenHost, engine, limits, Optional.empty(), Optional.empty());
    }

    /**
     * As above, sending {@code peerAuthorization} as the {@code Authorization} header of every node-to-node call
     * (when authentication is on, members present an admin token; see io.cachegrid.security), over HTTPS with
     * {@code peerTls} when the members serve TLS (the trust it carries decides which peers are believed).
     */
    static Cluster create(ClusterSettings settings, String nodeId, String listenHost, CacheEngine engine,
                          ApiLimits limits, Optional<String> peerAuthorization, Optional<Tls> peerTls) {
        return settings.enabled()
                ? new ClusterNode(settings, nodeId, listenHost, engine, limits, peerAuthorization, peerTls)
                : standalone();
    }

    static Cluster standalone() {
        return Standalone.INSTANCE;
    }

    /** Adds the routing filter and the {@code /cluster} routes. */
    void install(HttpRouting.Builder routing);

    /** What the services call between applying a write and answering it; a node on its own has nothing to wait for. */
    default WriteReplication replication() {
        return WriteReplication.NONE;
    }

    /** Joins the cluster once the server listens (the port is known only then). */
    void start(int listenPort);

    @Override
    void close();

    /** A node on its own. */
    enum Standalone implements Cluster {
        INSTANCE;

        @Override
        public void install(HttpRouting.Builder routing) {
        }

        @Override
        public void start(int listenPort) {
        }

        @Override
        public void close() {
        }
    }
}
