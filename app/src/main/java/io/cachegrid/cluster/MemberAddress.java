package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.jgroups.Address;
import org.jgroups.stack.AddressGenerator;
import org.jgroups.util.ExtendedUUID;

/**
 * Why: a member's identity is its JGroups address, but clients and peers reach it over HTTP, so each member's
 * HTTP {@code host:port} must travel with that address. It is stored inside the address itself (an
 * {@link ExtendedUUID} entry): it then reaches every member with every view, merge and discovery answer, and can
 * never be missing or stale the way a separately exchanged name (JGroups' logical-name cache) can be. A member
 * listed under two spellings (127.0.0.1:p, localhost:p) is still one address and so one place on the ring.
 */
final class MemberAddress {

    private static final String HTTP_KEY = "cachegrid.http";

    private MemberAddress() {
    }

    /** Makes this node's JGroups address, carrying its HTTP address. */
    static AddressGenerator generator(NodeAddress http, String name) {
        byte[] value = http.toString().getBytes(StandardCharsets.UTF_8);
        return () -> ExtendedUUID.randomUUID(name).put(HTTP_KEY, value);
    }

    /** The HTTP address a member's JGroups address carries; empty for a member that is not a CacheGrid node. */
    static Optional<NodeAddress> http(Address member) {
        if (!(member instanceof ExtendedUUID extended)) {
            return Optional.empty();
        }
        byte[] value = extended.get(HTTP_KEY);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(NodeAddress.parse(new String(value, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
