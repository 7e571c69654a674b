package io.cachegrid.cluster;

import java.util.List;
import java.util.Map;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.EntryTooLargeException;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.cachegrid.json.MalformedJsonException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Why: operators (and tests) need to see what a node believes about the cluster, {@code GET /cluster}; and
 * rebalancing needs an entry point that stores pushed copies only over older ones, {@code POST /cluster/push},
 * which only members may call (it carries the internal header).
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
                .endObject());
    }

    /**
     * {@code {"items":[{"key", "value", "ttl": seconds|null, "tags": [...] (optional), "version": "<unsigned>"}...]}}:
     * each stored at its version unless this node holds that version or a newer one, live or as a tombstone
     * ({@code Condition.newer}: never "store if absent", which would let an old copy undo a delete).
     */
    private void push(ServerRequest req, ServerResponse res) {
        if (req.headers().first(Internal.HEADER).isEmpty()) {
            ClusterResponses.json(res, Status.FORBIDDEN_403, new JsonWriter().beginObject().name("error")
                    .value("forbidden").name("detail").value("only cluster members push entries").endObject());
            return;
        }
        long stored = 0;
        long present = 0;
        try {
            JsonSlice body = JsonSlice.parse(Bodies.read(req));
            for (JsonSlice item : body.members().get("items").elements()) {
                Map<String, JsonSlice> fields = item.members();
                String key = fields.get("key").asString();
                JsonSlice ttl = fields.get("ttl");
                long ttlNanos = ttl == null || ttl.kind() == JsonSlice.Kind.NULL ? 0
                        : Math.max(1, (long) (ttl.asNumber().doubleValue() * 1e9));
                long version = Long.parseUnsignedLong(fields.get("version").asString());
                if (version == 0) {
                    throw new IllegalStateException("version 0 of \"" + key + "\"");
                }
                JsonSlice tags = fields.get("tags");
                List<String> tagged = tags == null ? List.of()
                        : tags.elements().stream().map(JsonSlice::asString).toList();
                try {
                    if (engine.putIf(key, fields.get("value").bytes(), ttlNanos, tagged, Condition.newer(version))
                            .applied()) {
                        stored++;
                    } else {
                        present++; // this version or a newer one (or a newer delete) is here
                    }
                } catch (EntryTooLargeException e) {
                    present++; // cannot be held here; counts as handled so the sender does not retry forever
                }
            }
        } catch (MalformedJsonException | IllegalStateException | NullPointerException | NumberFormatException e) {
            ClusterResponses.json(res, Status.BAD_REQUEST_400, new JsonWriter().beginObject().name("error")
                    .value("invalid push").name("detail").value(String.valueOf(e.getMessage())).endObject());
            return;
        }
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("stored").value(stored)
                .name("present").value(present).endObject());
    }
}
