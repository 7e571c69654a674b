package io.cachegrid.api;

import java.util.function.Supplier;

import io.cachegrid.engine.ValueView;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Sending JSON answers, and the clock every answer's {@code timestamp} comes from. */
final class Json {

    private Json() {
    }

    /**
     * One answer writer per thread, for the single-key answers: Helidon serves each connection on its own virtual
     * thread, and an answer is written out (Helidon copies it into its response buffer) before its handler returns,
     * so the connection's next request can write into the same buffer. Costs an idle connection its buffer (256 B
     * for the usual answer, at most {@link JsonWriter#RETAINED_BYTES}); saves every answer its writer and buffer.
     */
    private static final ThreadLocal<JsonWriter> ANSWERS = ThreadLocal.withInitial(() -> new JsonWriter(256));

    /**
     * This thread's answer writer, emptied, with room for {@code capacity} bytes. Only for an answer built and sent
     * by one handler with nothing else taking the writer in between; {@link #sendAnswer} releases it.
     */
    static JsonWriter answer(int capacity) {
        return ANSWERS.get().reset(capacity);
    }

    /** Sends an {@link #answer} like {@link #send(ServerResponse, JsonWriter)}, then forgets its shared values. */
    static void sendAnswer(ServerResponse res, JsonWriter body) {
        try {
            send(res, body);
        } finally {
            body.reset(0);
        }
    }

    /** Sends an {@link #answer} within the budget, then forgets its shared values (no stored array is kept). */
    static void sendAnswer(ServerResponse res, JsonWriter body, ResponseBudget budget, Supplier<String> what) {
        try {
            budget.send(res, Status.OK_200, body, what);
        } finally {
            body.reset(0);
        }
    }

    /** Epoch seconds as a float, the seed's {@code timestamp} format. */
    static double timestamp() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Writes {@link #timestamp()} (the same text), without the double's String. */
    static JsonWriter timestamp(JsonWriter out) {
        return out.valueThousandths(System.currentTimeMillis());
    }

    static void send(ServerResponse res, JsonWriter body) {
        send(res, Status.OK_200, body);
    }

    static void send(ServerResponse res, Status status, JsonWriter body) {
        res.status(status);
        res.header(PrevalidatedHeader.CONTENT_TYPE_JSON);
        ResponseBudget.sendWhole(res, body);
    }

    /** Sends a 200 answer that may embed stored values by reference, within the budget ({@link ResponseBudget}). */
    static void send(ServerResponse res, JsonWriter body, ResponseBudget budget, Supplier<String> what) {
        budget.send(res, Status.OK_200, body, what);
    }

    /** Writes a stored value by reference to the cache's bytes (no copy), or null for a miss. */
    static JsonWriter storedValue(JsonWriter out, ValueView value) {
        if (value == null) {
            return out.nullValue();
        }
        // a compressed value is decompressed only when the answer is written, inside the response budget
        return value.compressed() ? out.rawValueShared(value::array, value.offset(), value.length())
                                  : out.rawValueShared(value.array(), value.offset(), value.length());
    }

    /** Writes a ttl back as seconds ({@code 3600}, {@code 1.5}), or null when there is none. */
    static JsonWriter ttl(JsonWriter out, long ttlNanos) {
        if (ttlNanos <= 0) {
            return out.nullValue();
        }
        return ttlNanos % 1_000_000_000L == 0 ? out.value(ttlNanos / 1_000_000_000L) : out.value(ttlNanos / 1e9);
    }

    static byte[] errorBody(String error, String detail) {
        return new JsonWriter(64 + detail.length())
                .beginObject().name("error").value(error).name("detail").value(detail).endObject()
                .toByteArray();
    }
}
