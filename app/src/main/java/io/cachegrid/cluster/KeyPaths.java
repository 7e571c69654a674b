package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.cachegrid.api.PercentEncoding;

/**
 * Why: routing needs the key of {@code /cache/{key}} to find its owners, read from the raw path exactly as the
 * services read it (RFC 3986 percent-decoding, {@code +} stays a plus); and node-to-node requests need a key written
 * back into a path that no server or client will normalise ({@code .} and {@code ..} become {@code %2E} escapes).
 */
final class KeyPaths {

    private KeyPaths() {
    }

    /** The decoded key after {@code prefix}, or empty when the escapes or UTF-8 are bad (the service says why). */
    static Optional<String> decode(String rawPath, String prefix) {
        return PercentEncoding.decode(rawPath.substring(prefix.length()));
    }

    /** The key as one path segment: every byte but letters, digits, {@code -}, {@code _} and {@code ~} escaped. */
    static String encode(String key) {
        StringBuilder sb = new StringBuilder(key.length() * 2);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }
}
