package io.cachegrid.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.UUID;

/**
 * Why: the channel's encryption (SYM_ENCRYPT) covers message payloads but not JGroups' headers, and a join request
 * is headers only; so JGroups' AUTH also checks every join, merge and their answers with this token: an HMAC-SHA256
 * (key derived from the cluster secret) over the sender's JGroups address and a timestamp, refused when it does not
 * match (compared in constant time) or is more than {@link #MAX_SKEW_MILLIS} old. A node without the secret cannot
 * make one, and a recorded one names its original sender, so it lets nobody else in.
 * <p>
 * JGroups creates the received copy by its public no-argument constructor and reads the fields; only the local
 * instance, made with the key, can sign and check.
 */
public final class JoinToken extends AuthToken {

    static final long MAX_SKEW_MILLIS = 60_000;
    private static final int MAC_BYTES = 32;

    private final SecretKeySpec key;
    private long millis;
    private byte[] mac = new byte[0];

    /** For JGroups: the copy a message carries. */
    public JoinToken() {
        this.key = null;
    }

    JoinToken(ClusterSecret secret) {
        this.key = new SecretKeySpec(derive(secret), "HmacSHA256");
    }

    private static byte[] derive(ClusterSecret secret) {
        // the channel key is already a derived key; one more HMAC step keeps this key distinct from it
        return mac(new SecretKeySpec(secret.channelKey(), "HmacSHA256"), "cachegrid jgroups join v1");
    }

    @Override
    public String getName() {
        return JoinToken.class.getName();
    }

    @Override
    public int size() {
        return Long.BYTES + Integer.BYTES + MAC_BYTES;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        long now = System.currentTimeMillis();
        Address self = auth == null ? null : auth.getAddress() != null ? auth.getAddress()
                : auth.getProtocolStack().getChannel().getAddress();
        byte[] signature = key == null || self == null ? new byte[MAC_BYTES] : mac(key, identity(self) + "\n" + now);
        out.writeLong(now);
        out.writeInt(signature.length);
        out.write(signature);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        millis = in.readLong();
        int length = in.readInt();
        if (length != MAC_BYTES) {
            throw new IOException("bad join token");
        }
        mac = new byte[length];
        in.readFully(mac);
    }

    @Override
    public boolean authenticate(AuthToken token, Message msg) {
        if (token == this && key != null) {
            return true; // our own message delivered to ourselves (a merge leader's request): it never left the JVM
        }
        if (key == null || !(token instanceof JoinToken other) || msg.src() == null) {
            return false;
        }
        byte[] expected = mac(key, identity(msg.src()) + "\n" + other.millis);
        return MessageDigest.isEqual(expected, other.mac)
                && Math.abs(System.currentTimeMillis() - other.millis) <= MAX_SKEW_MILLIS;
    }

    /** The address's own bits, not its printed form (which shows a logical name when one is cached). */
    private static String identity(Address address) {
        if (address instanceof UUID uuid) {
            return Long.toHexString(uuid.getMostSignificantBits()) + ":" + Long.toHexString(uuid.getLeastSignificantBits());
        }
        return address.toString();
    }

    private static byte[] mac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "JoinToken";
    }
}
