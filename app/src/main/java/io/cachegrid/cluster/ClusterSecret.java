package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Why: one operator-given secret (CACHEGRID_CLUSTER_SECRET) protects two things that must not share a key, the
 * JGroups channel and the MAC on node-to-node HTTP requests; each gets its own key derived from it
 * (HMAC-SHA256(secret, purpose)), so a key that leaks from one use says nothing about the other. The secret itself
 * is never printed: {@link #toString()} hides it, so a settings record that holds it can be logged.
 */
public final class ClusterSecret {

    /** Shortest secret accepted: 16 characters, so a guessable word is refused at start. */
    public static final int MIN_LENGTH = 16;

    private final byte[] secret;

    private ClusterSecret(byte[] secret) {
        this.secret = secret;
    }

    /**
     * @throws IllegalArgumentException when shorter than {@link #MIN_LENGTH} characters
     */
    public static ClusterSecret of(String text) {
        if (text.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("too short");
        }
        return new ClusterSecret(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The key of the HMAC on node-to-node HTTP requests (32 bytes). */
    byte[] httpKey() {
        return derive("cachegrid http request mac v1");
    }

    /** The AES key of the JGroups channel (16 bytes: AES-128). */
    byte[] channelKey() {
        byte[] full = derive("cachegrid jgroups channel v1");
        byte[] key = new byte[16];
        System.arraycopy(full, 0, key, 0, key.length);
        return key;
    }

    private byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterSecret[hidden]";
    }
}
