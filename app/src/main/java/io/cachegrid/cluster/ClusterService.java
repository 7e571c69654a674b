package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cachegrid.api.CheckedEntry;
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
        List<CheckedEntry> entries = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        try {
            JsonSlice body = JsonSlice.parse(Bodies.read(req));
            // every entry is checked first, with the services' own rules (CheckedEntry): a push that holds one
            // entry a client could not have written is refused whole, and nothing of it is stored
            for (JsonSlice item : body.members().get("items").elements()) {
                Map<String, JsonSlice> fields = item.members();
                CheckedEntry entry = CheckedEntry.of(fields.get("key"), fields.get("value"), fields.get("ttl"),
                        fields.get("tags"), node.limits());
                long version = Long.parseUnsignedLong(fields.get("version").asString());
                if (version == 0) {
                    throw new IllegalStateException("version 0 of \"" + entry.key() + "\"");
                }
                entries.add(entry);
                versions.add(version);
            }
        } catch (MalformedJsonException | IllegalStateException | NullPointerException | NumberFormatException e) {
            ClusterResponses.json(res, Status.BAD_REQUEST_400, new JsonWriter().beginObject().name("error")
                    .value("invalid push").name("detail").value(String.valueOf(e.getMessage())).endObject());
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            CheckedEntry entry = entries.get(i);
            try {
                if (engine.putIf(entry.key(), entry.value(), entry.ttlNanos(), entry.tags(),
                        Condition.newer(versions.get(i))).applied()) {
                    stored++;
                } else {
                    present++; // this version or a newer one (or a newer delete) is here
                }
            } catch (EntryTooLargeException e) {
                present++; // cannot be held here; counts as handled so the sender does not retry forever
            }
        }
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("stored").value(stored)
                .name("present").value(present).endObject());
    }
}
