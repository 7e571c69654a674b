package io.cachegrid.api;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.MalformedJsonException;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * Reads and checks what a client sent: JSON bodies (type, size, well-formedness), keys from the raw path and ttl
 * values. Everything it refuses becomes an {@link ApiException}, before anything is stored.
 */
final class RequestReader {

    /** Longest accepted ttl: ten years in seconds; beyond it a ttl is almost surely a unit mistake. */
    static final double MAX_TTL_SECONDS = 10 * 365 * 24 * 3600.0;

    /** A ttl in the query: a plain decimal number of seconds, optionally with a fraction and an exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** A 64-bit integer in a query: decimal digits, an optional sign, nothing else. */
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");

    private static final String JSON_TYPE = MediaTypes.APPLICATION_JSON_VALUE;

    private final ApiLimits limits;

    RequestReader(ApiLimits limits) {
        this.limits = limits;
    }

    ApiLimits limits() {
        return limits;
    }

    /**
     * Reads a JSON body of at most {@code maxBytes}. A larger announced body is refused from its Content-Length
     * alone; a chunked body is read only up to the limit, never buffered whole.
     */
    JsonSlice jsonBody(ServerRequest req, long maxBytes) {
        return parse(jsonBodyBytes(req, maxBytes));
    }

    /**
     * The bytes of a JSON body of at most {@code maxBytes}, checked like {@link #jsonBody} up to the parse (type,
     * size): for a reader with a faster parser of its own ({@link BatchKeys}).
     */
    byte[] jsonBodyBytes(ServerRequest req, long maxBytes) {
        checkContentType(req);
        OptionalLong announced = req.headers().contentLength();
        if (announced.isPresent() && announced.getAsLong() > maxBytes) {
            throw ApiException.tooLarge("body is " + announced.getAsLong() + " bytes; the limit is " + maxBytes);
        }
        return RequestBodies.readAtMost(req, maxBytes);
    }

    /** The object of a JSON body, or 400. */
    JsonSlice jsonObjectBody(ServerRequest req, long maxBytes) {
        return objectOf(jsonBody(req, maxBytes));
    }

    /**
     * The members of a JSON object body that was read already (the cluster's router reads a body once and checks it
     * with the services' own rules): Content-Type, size, JSON, object, answered as the service would (415, 413,
     * 400).
     */
    static Map<String, JsonSlice> objectMembers(ServerRequest req, byte[] body, long maxBytes) {
        checkContentType(req);
        if (body.length > maxBytes) {
            throw ApiException.tooLarge("body is " + body.length + " bytes; the limit is " + maxBytes);
        }
        return objectOf(parse(body)).members();
    }

    private static JsonSlice parse(byte[] body) {
        try {
            return JsonSlice.parse(body);
        } catch (MalformedJsonException e) {
            throw ApiException.badRequest("invalid JSON", e.getMessage());
        }
    }

    private static JsonSlice objectOf(JsonSlice body) {
        if (body.kind() != JsonSlice.Kind.OBJECT) {
            throw ApiException.badRequest("invalid body", "expected a JSON object");
        }
        return body;
    }

    /** The cache key after {@code prefix} in the raw (still percent-encoded) path, decoded and checked. */
    String keyFromPath(ServerRequest req, String prefix) {
        String raw = rawPath(req);
        return keyFromEncoded(raw.length() > prefix.length() ? raw.substring(prefix.length()) : "");
    }

    /** A key as it appears in a raw path, still percent-encoded: decoded and checked. */
    String keyFromEncoded(String encoded) {
        return checkKey(decodePathPart(encoded, "key"));
    }

    /**
     * Percent-decodes a part of the raw path that names a {@code what} (key, tag), refusing raw non-ASCII bytes and
     * broken escapes with 400 {@code invalid <what>}.
     */
    String decodePathPart(String encoded, String what) {
        if (PercentEncoding.hasRawNonAscii(encoded)) {
            throw ApiException.badRequest("invalid " + what, "the path holds raw non-ASCII bytes, which the server "
                    + "cannot read back; percent-encode the " + what + "'s UTF-8 bytes (e.g. %E6%97%A5%E6%9C%AC for 日本)");
        }
        return PercentEncoding.decode(encoded).orElseThrow(() -> ApiException.badRequest("invalid " + what,
                "bad percent-encoding in the path, or escapes that are not UTF-8: encode the " + what + " with %XX "
                + "escapes of its UTF-8 bytes"));
    }

    /** The raw (still percent-encoded) path of the request in origin form, also for an absolute-form target. */
    static String rawPath(ServerRequest req) {
        return PercentEncoding.originPath(req.path().absolute().rawPath());
    }

    /** Checks a key's length in characters (code points, as the seed counted them). */
    String checkKey(String key) {
        if (key.isEmpty()) {
            throw ApiException.badRequest("invalid key", "key must not be empty");
        }
        int length = key.codePointCount(0, key.length());
        if (length > limits.maxKeyLength()) {
            throw ApiException.badRequest("invalid key", "key is " + length + " characters; the limit is "
                    + limits.maxKeyLength());
        }
        return key;
    }

    /** The {@code ttl} query parameter as nanoseconds, or 0 when absent. */
    long ttlFromQuery(ServerRequest req) {
        if (!req.query().contains("ttl")) {
            return 0; // without the query's empty OptionalValue and Optional
        }
        Optional<String> text = req.query().first("ttl").asOptional();
        if (text.isEmpty() || text.get().isEmpty()) {
            return 0;
        }
        String trimmed = text.get().trim();
        // decimal notation only: Double.parseDouble alone would also take "10f", "10d", "0x1p4", "NaN", "Infinity"
        if (!DECIMAL.matcher(trimmed).matches()) {
            throw badTtl(text.get());
        }
        return ttlNanos(Double.parseDouble(trimmed), text.get());
    }

    /** A {@code ttl} body field as nanoseconds: absent or null means no expiry. */
    long ttlFromJson(JsonSlice ttl) {
        if (ttl == null || ttl.kind() == JsonSlice.Kind.NULL) {
            return 0;
        }
        if (ttl.kind() != JsonSlice.Kind.NUMBER) {
            throw badTtl(ttl.toString());
        }
        BigDecimal seconds;
        try {
            seconds = ttl.asNumber();
        } catch (NumberFormatException e) {
            throw badTtl(ttl.toString()); // valid JSON, but an exponent beyond BigDecimal's range (1e99999999999)
        }
        return ttlNanos(seconds.doubleValue(), ttl.toString());
    }

    /** An integer query parameter within bounds, or its default. */
    int intParam(ServerRequest req, String name, int defaultValue, int min, int max) {
        Optional<String> text = req.query().first(name).asOptional();
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the same answer as an out-of-range number
        }
        throw ApiException.badRequest("invalid " + name, name + " must be a whole number from " + min + " to " + max
                + ", got \"" + text.get() + "\"");
    }

    /**
     * A {@code true}/{@code false} query parameter (any case), false when absent; anything else is a 400, so a typo
     * is not silently read as "no". Used for {@code ?local=true} (this node's own answer in a cluster).
     */
    static boolean booleanParam(ServerRequest req, String name) {
        Optional<String> text = req.query().first(name).asOptional();
        if (text.isEmpty() || text.get().equalsIgnoreCase("false")) {
            return false;
        }
        if (text.get().equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badRequest("invalid " + name, name + " must be true or false, got \"" + text.get() + "\"");
    }

    /** A 64-bit integer query parameter (decimal, optionally signed), or its default when absent. */
    long longParam(ServerRequest req, String name, long defaultValue) {
        Optional<String> text = req.query().first(name).asOptional();
        if (text.isEmpty()) {
            return defaultValue;
        }
        if (INTEGER.matcher(text.get()).matches()) {
            try {
                return Long.parseLong(text.get());
            } catch (NumberFormatException ignored) {
                // out of range: the same answer as any other bad number
            }
        }
        throw ApiException.badRequest("invalid " + name, name + " must be a whole number from " + Long.MIN_VALUE
                + " to " + Long.MAX_VALUE + ", got \"" + text.get() + "\"");
    }

    private static long ttlNanos(double seconds, String text) {
        if (!(seconds > 0) || seconds > MAX_TTL_SECONDS) {
            throw badTtl(text);
        }
        return Math.max(1, Math.round(seconds * 1e9));
    }

    private static ApiException badTtl(String text) {
        return ApiException.badRequest("invalid ttl", "ttl must be a number of seconds > 0 and at most "
                + (long) MAX_TTL_SECONDS + " (fractions allowed), got " + text);
    }

    /** 415 for a body whose Content-Type is not JSON (none at all is taken as JSON). */
    static void checkContentType(ServerRequest req) {
        if (!req.headers().contains(HeaderNames.CONTENT_TYPE)) {
            return;
        }
        if (req.headers().get(HeaderNames.CONTENT_TYPE).get().equalsIgnoreCase(JSON_TYPE)) {
            return; // the usual one, known without parsing it into an HttpMediaType (~0.1 KB)
        }
        Optional<HttpMediaType> type = req.headers().contentType();
        if (type.isEmpty()) {
            return;
        }
        HttpMediaType media = type.get();
        boolean json = media.test(MediaTypes.APPLICATION_JSON) || media.subtype().endsWith("+json");
        if (!json) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported media type",
                    "send JSON with Content-Type: application/json, got " + media.text());
        }
    }

}
