package io.cachegrid.api;

import io.cachegrid.config.CacheGridSettings;

/**
 * The request limits every handler enforces, from configuration.
 *
 * @param maxKeyLength    longest key in characters (Unicode code points)
 * @param maxValueBytes   largest value in bytes of JSON text
 * @param maxBatchSize    most keys or items in one batch request
 * @param maxTagsPerKey   most tags on one key
 * @param maxTagLength    longest tag in characters (Unicode code points)
 * @param maxRequestBytes largest request body of any kind (batch bodies); the server refuses larger ones by header
 * @param responses       the one budget of response bytes in flight that every large answer reserves from
 *                        ({@code CACHEGRID_MAX_RESPONSE_BYTES}); shared by all services of a node
 */
public record ApiLimits(int maxKeyLength, long maxValueBytes, int maxBatchSize, int maxTagsPerKey,
                        int maxTagLength, long maxRequestBytes, ResponseBudget responses) {

    /** Room around a value in {@code POST /cache}: the key, the ttl and the envelope's punctuation. */
    private static final int ENVELOPE_BYTES = 1024;

    public static ApiLimits from(CacheGridSettings settings) {
        return new ApiLimits(settings.maxKeyLength(), settings.maxValueBytes(), settings.maxBatchSize(),
                settings.maxTagsPerKey(), settings.maxTagLength(),
                Math.max(settings.maxRequestBytes(), settings.maxValueBytes() + ENVELOPE_BYTES),
                new ResponseBudget(settings.maxResponseBytes()));
    }

    /** Largest {@code POST /cache} body: one value with its key and tags (escaped, up to 6 bytes a char) and ttl. */
    long maxSingleItemBody() {
        return maxValueBytes + 6L * maxKeyLength + maxTagsPerKey * (6L * maxTagLength + 4) + ENVELOPE_BYTES;
    }
}
