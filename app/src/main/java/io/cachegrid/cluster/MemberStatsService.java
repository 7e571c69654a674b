package io.cachegrid.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheStats;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Why: an operator looking at one node's console wants to see the whole cluster at once: how many keys and how much
 * memory each member holds (copies included), and which members do not answer. {@code GET /cluster/nodes} asks
 * every live member for its {@code /stats} concurrently with a short timeout (this node answers from its engine,
 * without a call to itself); a member that fails to answer is listed with an {@code error} instead of numbers.
 */
final class MemberStatsService implements HttpService {

    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ClusterNode node;
    private final CacheEngine engine;
    private final String nodeId;

    MemberStatsService(ClusterNode node, CacheEngine engine, String nodeId) {
        this.node = node;
        this.engine = engine;
        this.nodeId = nodeId;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::nodes);
    }

    private void nodes(ServerRequest req, ServerResponse res) {
        ClusterView view = node.view();
        List<NodeAddress> members = view == null ? List.of() : List.copyOf(view.members().keySet());
        List<Future<PeerResponse>> answers = new ArrayList<>();
        JsonWriter out = new JsonWriter().beginObject().name("nodes").beginArray();
        try (ExecutorService askers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeAddress member : members) {
                boolean ask = !member.equals(view.self()) && view.isUp(member);
                answers.add(ask ? askers.submit(() -> node.client().send(member, Method.GET, "/stats",
                        Internal.REPLICA, null, null, TIMEOUT)) : null);
            }
            for (int i = 0; i < members.size(); i++) {
                NodeAddress member = members.get(i);
                out.beginObject().name("address").value(member.toString())
                        .name("status").value(view.isUp(member) ? "up" : "down")
                        .name("self").value(member.equals(view.self()));
                if (member.equals(view.self())) {
                    CacheStats s = engine.stats();
                    out.name("node_id").value(nodeId).name("current_size").value(s.size())
                            .name("memory_usage_bytes").value(s.memoryBytes()).name("hits").value(s.hits())
                            .name("misses").value(s.misses());
                } else if (answers.get(i) != null) {
                    describe(out, answers.get(i));
                }
                out.endObject();
            }
        }
        ClusterResponses.json(res, Status.OK_200, out.endArray().endObject());
    }

    private static void describe(JsonWriter out, Future<PeerResponse> pending) {
        try {
            PeerResponse answer = pending.get();
            if (!answer.ok()) {
                out.name("error").value("answered HTTP " + answer.status());
                return;
            }
            Map<String, JsonSlice> stats = JsonSlice.parse(answer.body()).members();
            out.name("node_id").value(stats.get("node_id").asString());
            for (String field : List.of("current_size", "memory_usage_bytes", "hits", "misses")) {
                out.name(field).value(stats.get(field).asNumber().longValue());
            }
        } catch (ExecutionException e) {
            out.name("error").value("no answer: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.name("error").value("interrupted");
        } catch (RuntimeException e) { // a member answering something else than its stats
            out.name("error").value("unreadable stats");
        }
    }
}
