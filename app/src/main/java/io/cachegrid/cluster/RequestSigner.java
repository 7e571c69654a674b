package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * Why: a node-to-node HTTP request can store, push or delete anything, so the receiver must know it comes from a
 * member and is not a recording played again. The sender signs each request with the cluster secret:
 * {@code X-CacheGrid-Signature: v1 <millis> <sender> <sequence> <body sha-256> <mac>}, where the MAC is
 * HMAC-SHA256 over the method, path and query as sent, the body's digest, the timestamp, and the nonce: a random
 * sender id (new each start) with a sequence number that grows by one per request. {@link SignatureCheck} verifies
 * it. Base64url without padding throughout, so the header holds no spaces but the separators.
 */
final class RequestSigner {

    static final HeaderName HEADER = HeaderNames.create("X-CacheGrid-Signature");
    static final String VERSION = "v1";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String EMPTY_BODY_HASH = B64.encodeToString(sha256(new byte[0]));

    private final SecretKeySpec key;
    private final LongSupplier clock;
    private final long sender;
    private final AtomicLong sequence = new AtomicLong();

    RequestSigner(ClusterSecret secret) {
        this(secret, System::currentTimeMillis, new SecureRandom().nextLong());
    }

    RequestSigner(ClusterSecret secret, LongSupplier clockMillis, long sender) {
        this.key = new SecretKeySpec(secret.httpKey(), "HmacSHA256");
        this.clock = clockMillis;
        this.sender = sender;
    }

    /** The header value for one request. */
    String sign(String method, String rawPathAndQuery, byte[] body) {
        String bodyHash = body == null || body.length == 0 ? EMPTY_BODY_HASH : B64.encodeToString(sha256(body));
        long millis = clock.getAsLong();
        long seq = sequence.incrementAndGet();
        String mac = B64.encodeToString(mac(key, method, rawPathAndQuery, bodyHash, millis, sender, seq));
        return VERSION + " " + millis + " " + Long.toUnsignedString(sender, 16) + " " + seq + " " + bodyHash + " "
                + mac;
    }

    static byte[] mac(SecretKeySpec key, String method, String rawPathAndQuery, String bodyHash, long millis,
                      long sender, long seq) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            String signed = VERSION + "\n" + method + "\n" + rawPathAndQuery + "\n" + bodyHash + "\n" + millis + "\n"
                    + Long.toUnsignedString(sender, 16) + "\n" + seq;
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String emptyBodyHash() {
        return EMPTY_BODY_HASH;
    }
}
