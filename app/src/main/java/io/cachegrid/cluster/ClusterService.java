package io.cachegrid.cluster;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Why: operators (and tests) need to see what a node believes about the cluster, {@code GET /cluster}; and
 * rebalancing and anti-entropy need an entry point that stores pushed copies only over older ones,
 * {@code POST /cluster/push}, which only members may call (it carries the internal header). {@code GET /cluster}
 * shows the anti-entropy counters under {@code anti_entropy}.
 */
final class ClusterService implements HttpService {

    static final String PUSH_PATH = "/cluster/push";

    private final ClusterNode node;
    private final CacheEngine engine;
    private final String nodeId;

    ClusterService(ClusterNode node, CacheEngine engine, String nodeId) {
        this.node = node;
        this.engine = engine;
        this.nodeId = nodeId;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::status)
                .post("/push", this::push);
    }

    private void status(ServerRequest req, ServerResponse res) {
        ClusterView view = node.view();
        JsonWriter out = new JsonWriter().beginObject().name("node_id").value(nodeId)
                .name("self").value(view.self().toString()).name("members").beginArray();
        view.members().forEach((member, up) -> out.beginObject().name("address").value(member.toString())
                .name("status").value(up ? "up" : "down").name("self").value(member.equals(view.self()))
                .endObject());
        ClusterResponses.json(res, Status.OK_200, out.endArray()
                .name("view_id").value(view.viewId())
                .name("replication_factor").value(view.replicationFactor())
                .name("ring_vnodes").value(ClusterSettings.RING_VNODES)
                .name("anti_entropy").rawValue(node.antiEntropyJson())
                .endObject());
    }

    /**
     * Copies pushed by a member (rebalancing, anti-entropy), live or tombstones, in the {@link PushItems} format:
     * each checked like a client's write and stored only over an older copy (never "store if absent", which would
     * let an old copy undo a delete); the whole request is refused when any item is invalid.
     */
    private void push(ServerRequest req, ServerResponse res) {
        if (!DigestService.fromMember(req, res)) {
            return;
        }
        PushItems.Applied applied;
        try {
            // a copy pushed here by a member whose view says this node owns the key, when this node's view says it
            // does not, is handed over by one more rebalance pass, as a single replica write is
            applied = PushItems.apply(engine, node.limits(), Bodies.read(req), node::replicaWritten);
        } catch (PushItems.InvalidItem e) {
            ClusterResponses.json(res, Status.BAD_REQUEST_400, new JsonWriter().beginObject().name("error")
                    .value("invalid push").name("detail").value(String.valueOf(e.getMessage())).endObject());
            return;
        }
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("stored").value(applied.stored())
                .name("present").value(applied.present()).endObject());
    }
}
