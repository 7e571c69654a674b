package io.cachegrid.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * RFC 3986 percent-decoding of a path segment, as keys arrive in {@code /cache/{key}}: {@code %XX} escapes of UTF-8
 * bytes, {@code +} stays a plus (it means a space only in forms). One implementation for the services and the
 * cluster router, so both see the same key.
 * <p>
 * Raw bytes above 0x7F in a path are refused, not guessed at: the server reads the request line as US-ASCII, so each
 * such byte arrives as U+FFFD and {@code /cache/日本} and {@code /cache/中国} would both become the same key
 * {@code "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"}. The bytes themselves are gone by then; only the client can send
 * them again, percent-encoded.
 */
public final class PercentEncoding {

    private PercentEncoding() {
    }

    /**
     * The decoded text, or empty when an escape is malformed, the bytes are not UTF-8, or the text holds a raw
     * (unescaped) non-ASCII character (see the class comment).
     */
    public static Optional<String> decode(String encoded) {
        if (hasRawNonAscii(encoded)) {
            return Optional.empty();
        }
        if (encoded.indexOf('%') < 0) {
            return Optional.of(encoded);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    return Optional.empty();
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** True when {@code text} holds a character above 0x7F: a raw byte of the request line, not an escape. */
    public static boolean hasRawNonAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    /**
     * The origin-form path of a request target: {@code /cache/abc} as it is, and the path of an absolute-form
     * target ({@code http://host:8080/cache/abc}, RFC 9112 section 3.2.2, as sent to proxies) without its scheme and
     * authority. The server routes an absolute-form request by its path, so keys must be read from the same path.
     */
    public static String originPath(String rawTarget) {
        if (rawTarget.startsWith("/")) {
            return rawTarget;
        }
        int scheme = rawTarget.indexOf("://");
        if (scheme <= 0) {
            return rawTarget;
        }
        int path = rawTarget.indexOf('/', scheme + 3);
        return path < 0 ? "/" : rawTarget.substring(path);
    }
}
