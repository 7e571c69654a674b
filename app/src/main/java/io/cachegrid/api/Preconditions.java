package io.cachegrid.api;

import java.util.ArrayList;
import java.util.List;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;

/**
 * The conditional headers of a request (RFC 9110, section 13), read once and checked before anything is stored.
 * <p>
 * A key's entity tag is its version in decimal, quoted: {@code ETag: "1746000000000123"}. {@code If-Match} compares
 * strongly (a weak {@code W/"..."} tag never matches, nor does a tag that is no version of ours), {@code If-None-Match}
 * weakly. What each route accepts:
 * <ul>
 *   <li>GET: {@code If-None-Match} (a list or {@code *}): 304 when it matches; {@code If-Match}: 412 when not.</li>
 *   <li>PUT, POST /cache: {@code If-Match: "v", ...} (compare-and-set), {@code If-Match: *} (only if present), or
 *   {@code If-None-Match: *} (only if absent); not both.</li>
 *   <li>DELETE /cache/{key}: {@code If-Match} only.</li>
 * </ul>
 * Anything else (a header that does not parse, {@code If-None-Match: "v"} on a write, both headers on a write) is
 * refused with 400: a client that believes its write is conditional must never see it applied unconditionally.
 *
 * @param ifMatch     the If-Match header, or null when absent
 * @param ifNoneMatch the If-None-Match header, or null when absent
 */
record Preconditions(TagList ifMatch, TagList ifNoneMatch) {

    static final HeaderName IF_MATCH = HeaderNames.IF_MATCH;
    static final HeaderName IF_NONE_MATCH = HeaderNames.IF_NONE_MATCH;

    /** At most this many entity tags in one header: a list longer than this is a mistake, not a condition. */
    static final int MAX_TAGS = 16;

    /** What a write is to be conditioned on. */
    enum WriteKind {
        /** No precondition: an ordinary write. */
        NONE,
        /** {@code If-Match: *}: only if the key exists. */
        EXISTS,
        /** {@code If-None-Match: *}: only if the key is absent. */
        ABSENT,
        /** {@code If-Match: "v1", "v2"}: only if the key's version is one of {@link #versions()}. */
        VERSIONS
    }

    /**
     * A parsed header value.
     *
     * @param any      the header was {@code *}
     * @param versions the strong tags that are versions of ours, in order
     * @param weak     the weak tags' versions (they match only in a weak comparison)
     */
    record TagList(boolean any, long[] versions, long[] weak) {

        boolean matchesStrongly(long version) {
            return any || contains(versions, version);
        }

        boolean matchesWeakly(long version) {
            return any || contains(versions, version) || contains(weak, version);
        }

        private static boolean contains(long[] list, long value) {
            for (long v : list) {
                if (v == value) {
                    return true;
                }
            }
            return false;
        }
    }

    static Preconditions of(Headers headers) {
        return new Preconditions(parse(headers, IF_MATCH), parse(headers, IF_NONE_MATCH));
    }

    boolean none() {
        return ifMatch == null && ifNoneMatch == null;
    }

    /** The condition of a PUT or POST /cache. */
    WriteKind forWrite() {
        if (ifMatch != null && ifNoneMatch != null) {
            throw ApiException.badRequest("invalid precondition", "send either If-Match or If-None-Match with a "
                    + "write, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.any()) {
                throw ApiException.badRequest("invalid precondition", "a write takes If-None-Match: * (store only "
                        + "if absent); to write only over a known version send If-Match: \"<version>\"");
            }
            return WriteKind.ABSENT;
        }
        if (ifMatch == null) {
            return WriteKind.NONE;
        }
        return ifMatch.any() ? WriteKind.EXISTS : WriteKind.VERSIONS;
    }

    /** The condition of a DELETE. */
    WriteKind forDelete() {
        if (ifNoneMatch != null) {
            throw ApiException.badRequest("invalid precondition", "DELETE takes If-Match: \"<version>\" (or *) only");
        }
        if (ifMatch == null) {
            return WriteKind.NONE;
        }
        return ifMatch.any() ? WriteKind.EXISTS : WriteKind.VERSIONS;
    }

    /** The versions of an If-Match list; empty when none of its tags can match (the write then fails with 412). */
    long[] versions() {
        return ifMatch == null ? new long[0] : ifMatch.versions();
    }

    /** Refuses a precondition on a route that takes none (incr, decr): it would silently not hold. */
    void requireNone(String route) {
        if (!none()) {
            throw ApiException.badRequest("invalid precondition", route + " takes no If-Match or If-None-Match; it "
                    + "is atomic on its own");
        }
    }

    /** The ETag header value of a version. */
    static String etag(long version) {
        return "\"" + Long.toUnsignedString(version) + "\"";
    }

    /** The ETag header of a version, written without a String (see {@link PrevalidatedHeader}). */
    static Header etagHeader(long version) {
        return PrevalidatedHeader.etag(version);
    }

    /** The 412 every failed precondition gets. */
    static ApiException failed(String key, String what) {
        return new ApiException(Status.PRECONDITION_FAILED_412, "precondition failed", "\"" + key + "\" " + what
                + "; nothing was changed (read it again for its current ETag)");
    }

    /** The header's tags, or null when it is absent. */
    private static TagList parse(Headers headers, HeaderName name) {
        List<String> lines = headers.all(name, List::of);
        if (lines.isEmpty()) {
            return null;
        }
        String text = String.join(",", lines).strip();
        if (text.equals("*")) {
            return new TagList(true, new long[0], new long[0]);
        }
        List<Long> strong = new ArrayList<>();
        List<Long> weak = new ArrayList<>();
        int count = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            boolean isWeak = text.startsWith("W/", i);
            int open = isWeak ? i + 2 : i;
            int close = open < text.length() && text.charAt(open) == '"' ? text.indexOf('"', open + 1) : -1;
            if (close < 0) {
                throw badHeader(name, text);
            }
            String opaque = text.substring(open + 1, close);
            for (int k = 0; k < opaque.length(); k++) {
                char e = opaque.charAt(k);
                if (e < 0x21 || e == 0x7F) { // etagc: any visible character but DQUOTE, or obs-text
                    throw badHeader(name, text);
                }
            }
            if (++count > MAX_TAGS) {
                throw ApiException.badRequest("invalid " + name.defaultCase(), "at most " + MAX_TAGS
                        + " entity tags in one header");
            }
            Long version = version(opaque);
            if (version != null) {
                (isWeak ? weak : strong).add(version);
            }
            i = close + 1;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            if (i < text.length() && text.charAt(i) != ',') {
                throw badHeader(name, text);
            }
        }
        if (count == 0) {
            throw badHeader(name, text);
        }
        return new TagList(false, strong.stream().mapToLong(Long::longValue).toArray(),
                weak.stream().mapToLong(Long::longValue).toArray());
    }

    /** The version an opaque tag names, when it is one of ours (canonical unsigned decimal), else null. */
    private static Long version(String opaque) {
        if (opaque.isEmpty() || opaque.length() > 20 || (opaque.length() > 1 && opaque.charAt(0) == '0')) {
            return null;
        }
        for (int k = 0; k < opaque.length(); k++) {
            if (opaque.charAt(k) < '0' || opaque.charAt(k) > '9') {
                return null;
            }
        }
        try {
            return Long.parseUnsignedLong(opaque);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ApiException badHeader(HeaderName name, String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return ApiException.badRequest("invalid " + name.defaultCase(), name.defaultCase() + " must be * or a list "
                + "of quoted entity tags such as \"1746000000000123\" (the ETag of a read), got " + shown);
    }
}
