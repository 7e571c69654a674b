package io.cachegrid.cluster;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;

import javax.crypto.spec.SecretKeySpec;

/**
 * Why: the receiving side of {@link RequestSigner}. A request is accepted only when its MAC matches (compared in
 * constant time, so timing says nothing about how much of a forgery was right), its timestamp is within
 * {@link #MAX_SKEW_MILLIS} of this node's clock, and its nonce was not used before ({@link ReplayWindow}). The
 * checks run in that order, so only a request signed with the secret can take a place in the replay window.
 * The body is checked separately, while it is read ({@link SignedBody}), against the digest the MAC covers.
 */
final class SignatureCheck {

    /** Largest accepted difference between the sender's clock and ours, either way. */
    static final long MAX_SKEW_MILLIS = 30_000;

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final LongSupplier clockMillis;
    private final LongSupplier nanoTime;
    private final ReplayWindow replays = new ReplayWindow(2 * MAX_SKEW_MILLIS * 1_000_000);

    SignatureCheck(ClusterSecret secret) {
        this(secret, System::currentTimeMillis, System::nanoTime);
    }

    SignatureCheck(ClusterSecret secret, LongSupplier clockMillis, LongSupplier nanoTime) {
        this.key = new SecretKeySpec(secret.httpKey(), "HmacSHA256");
        this.clockMillis = clockMillis;
        this.nanoTime = nanoTime;
    }

    /** A verified signature: the body digest it vouches for (base64url SHA-256). */
    record Verified(String bodyHash) {
    }

    /** Why a request was refused, for the 403's detail; or the verified signature. */
    sealed interface Outcome permits Accepted, Refused {
    }

    record Accepted(Verified signature) implements Outcome {
    }

    record Refused(String reason) implements Outcome {
    }

    Outcome check(String method, String rawPathAndQuery, Optional<String> header) {
        if (header.isEmpty()) {
            return new Refused("the request claims to come from a cluster member but carries no "
                    + RequestSigner.HEADER.defaultCase() + " header");
        }
        String[] parts = header.get().split(" ");
        if (parts.length != 6 || !parts[0].equals(RequestSigner.VERSION)) {
            return new Refused("malformed " + RequestSigner.HEADER.defaultCase() + " header");
        }
        long millis;
        long sender;
        long seq;
        byte[] mac;
        try {
            millis = Long.parseLong(parts[1]);
            sender = Long.parseUnsignedLong(parts[2], 16);
            seq = Long.parseLong(parts[3]);
            mac = B64.decode(parts[5]);
            B64.decode(parts[4]);
        } catch (IllegalArgumentException e) {
            return new Refused("malformed " + RequestSigner.HEADER.defaultCase() + " header");
        }
        byte[] expected = RequestSigner.mac(key, method, rawPathAndQuery, parts[4], millis, sender, seq);
        if (!MessageDigest.isEqual(expected, mac)) {
            return new Refused("the request's signature does not match (another cluster secret, or a changed request)");
        }
        if (Math.abs(clockMillis.getAsLong() - millis) > MAX_SKEW_MILLIS) {
            return new Refused("the request's timestamp is more than " + MAX_SKEW_MILLIS / 1000
                    + " s away from this node's clock (a stale or replayed request, or clocks out of sync)");
        }
        if (!replays.firstUse(sender, seq, nanoTime.getAsLong())) {
            return new Refused("the request was seen before (a replay)");
        }
        return new Accepted(new Verified(parts[4]));
    }
}
