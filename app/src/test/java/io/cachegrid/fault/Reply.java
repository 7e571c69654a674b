package io.cachegrid.fault;

import java.io.StringReader;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Why: a fault test must tell an answer (status, body, ETag) from no answer at all (timeout, refused connection),
 * because the history counts the second as an operation of unknown outcome. {@code status} is -1 when no answer
 * came; {@code body} then says why.
 */
record Reply(int status, String body, String etag) {

    static Reply none(Exception why) {
        return new Reply(-1, why.getClass().getSimpleName() + (why.getMessage() == null ? "" : ": " + why.getMessage()),
                "");
    }

    boolean answered() {
        return status > 0;
    }

    /** What the history makes of this answer to a write. */
    Op.Outcome outcome() {
        if (status >= 200 && status < 300) {
            return Op.Outcome.ACK;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return Op.Outcome.FAILED; // refused: nothing was changed
        }
        return Op.Outcome.UNKNOWN; // 5xx, timeout, connection error: it may or may not have been applied
    }

    JsonObject json() {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    /** The version a write answer carries ({@code "version"}, else its ETag), or "" if none. */
    String version() {
        if (answered() && body.startsWith("{")) {
            JsonValue v = json().get("version");
            if (v instanceof JsonString s) {
                return s.getString();
            }
            if (v != null && v.getValueType() == JsonValue.ValueType.NUMBER) {
                return v.toString();
            }
        }
        return etag.replace("\"", "");
    }

    /**
     * The value a read found: empty for a miss ({@code exists:false}), the value's text (a JSON string's content,
     * any other JSON as written) for a hit; null if this is not an answer a read can give.
     */
    Optional<String> readValue() {
        if (status != 200 || !body.startsWith("{")) {
            return null;
        }
        JsonObject o = json();
        if (!o.getBoolean("exists", false)) {
            return Optional.empty();
        }
        JsonValue v = o.get("value");
        return Optional.of(v instanceof JsonString s ? s.getString() : String.valueOf(v));
    }

    @Override
    public String toString() {
        return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}
