package io.cachegrid.api;

import io.cachegrid.TestNode;
import io.cachegrid.TestNode.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /test/load} runs on the real engine in the background and its result is readable afterwards. */
class LoadTestApiTest {

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass();

    @Test
    void runsInTheBackgroundAndReportsPercentiles() throws InterruptedException {
        long setsBefore = node.get("/stats").json().getJsonNumber("sets").longValue();
        Reply started = node.post("/test/load?num_operations=5000&operation_type=mixed", "");
        assertEquals(202, started.status());
        String id = started.json().getString("id");
        JsonObject run = awaitCompletion(id);
        assertEquals("mixed", run.getString("operation_type"));
        assertEquals(5000, run.getInt("num_operations"));
        assertEquals(5000, run.getInt("completed_operations"));
        assertTrue(run.getJsonNumber("ops_per_second").doubleValue() > 0);
        JsonObject latency = run.getJsonObject("latency_ms");
        double p50 = latency.getJsonNumber("p50").doubleValue();
        double p95 = latency.getJsonNumber("p95").doubleValue();
        double p99 = latency.getJsonNumber("p99").doubleValue();
        assertTrue(p50 <= p95 && p95 <= p99, latency.toString());
        long setsAfter = node.get("/stats").json().getJsonNumber("sets").longValue();
        assertTrue(setsAfter > setsBefore, "the run must go through the real engine");
        assertEquals(id, node.get("/test/load").json().getJsonArray("runs").getJsonObject(0).getString("id"));
    }

    @Test
    void unknownRunIs404() {
        node.get("/test/load/nope").error(404);
    }

    static JsonObject awaitCompletion(String id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonObject run = node.get("/test/load/" + id).json();
            if (!"running".equals(run.getString("status"))) {
                assertEquals("completed", run.getString("status"), run.toString());
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("load test " + id + " did not finish in 10 s");
    }
}
