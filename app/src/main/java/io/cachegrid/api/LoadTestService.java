package io.cachegrid.api;

import io.cachegrid.engine.CacheSettings;
import io.cachegrid.json.JsonWriter;
import io.cachegrid.loadtest.LoadTestRun;
import io.cachegrid.loadtest.LoadTester;
import io.cachegrid.loadtest.OperationType;
import io.cachegrid.loadtest.Target;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /test/load} starts a load test and answers 202 at once; the run's progress and result are at
 * {@code GET /test/load/{id}}, the latest runs at {@code GET /test/load}. The run measures a scratch engine with the
 * live engine's settings unless {@code target=live} asks for the live engine; each run document says which.
 */
public final class LoadTestService implements HttpService {

    static final int MAX_OPERATIONS = 100_000;
    private static final int DEFAULT_OPERATIONS = 1000;
    private static final double MIB = 1024.0 * 1024.0;

    private final LoadTester tester;
    private final RequestReader reader;

    public LoadTestService(LoadTester tester, ApiLimits limits) {
        this.tester = tester;
        this.reader = new RequestReader(limits);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::start)
                .get("/", this::list)
                .any("/", MethodNotAllowed.allow("GET, POST"))
                .get("/{id}", this::show)
                .any("/{id}", MethodNotAllowed.allow("GET"));
    }

    private void start(ServerRequest req, ServerResponse res) {
        int operations = reader.intParam(req, "num_operations", DEFAULT_OPERATIONS, 1, MAX_OPERATIONS);
        OperationType type;
        try {
            type = OperationType.parse(req.query().first("operation_type").orElse("mixed"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid operation_type", e.getMessage());
        }
        Target target;
        try {
            target = Target.parse(req.query().first("target").orElse("scratch"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid target", e.getMessage());
        }
        LoadTestRun run = tester.start(type, operations, target).orElseThrow(() -> new ApiException(Status.CONFLICT_409,
                "load test running", "another load test is still running; wait for it at GET /test/load"));
        res.header(HeaderNames.LOCATION, "/test/load/" + run.id());
        Json.send(res, Status.ACCEPTED_202, write(new JsonWriter(), run));
    }

    private void show(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        LoadTestRun run = tester.find(id).orElseThrow(() -> new ApiException(Status.NOT_FOUND_404, "not found",
                "no load test with id " + id + " (only the latest runs are kept)"));
        Json.send(res, write(new JsonWriter(), run));
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonWriter out = new JsonWriter().beginObject().name("runs").beginArray();
        tester.recent().forEach(run -> write(out, run));
        Json.send(res, out.endArray().endObject());
    }

    private static JsonWriter write(JsonWriter out, LoadTestRun run) {
        CacheSettings engine = run.engineSettings();
        out.beginObject().name("id").value(run.id()).name("status").value(run.status().name().toLowerCase())
                .name("target").value(run.target().configName())
                .name("engine").beginObject().name("eviction_policy").value(engine.policy().configName())
                .name("max_size").value(engine.maxSize())
                .name("max_memory_mb").value(Math.round(engine.maxMemoryBytes() / MIB))
                .name("segments").value(engine.segments()).endObject()
                .name("operation_type").value(run.type().configName()).name("num_operations").value(run.operations())
                .name("completed_operations").value(run.completedOperations()).name("started_at").value(run.startedAt())
                .name("result_url").value("/test/load/" + run.id());
        if (run.status() == LoadTestRun.Status.COMPLETED) {
            LoadTestRun.Latency latency = run.latency();
            out.name("duration_seconds").value(run.durationSeconds()).name("ops_per_second").value(run.opsPerSecond())
                    .name("latency_ms").beginObject().name("p50").value(latency.p50()).name("p95").value(latency.p95())
                    .name("p99").value(latency.p99()).name("max").value(latency.max()).endObject();
        } else if (run.status() == LoadTestRun.Status.FAILED) {
            out.name("error").value(run.failure());
        }
        return out.endObject();
    }
}
