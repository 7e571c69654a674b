package io.cachegrid.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.Arrays;
import java.util.List;

/**
 * Why: in Kubernetes the members are the pods of a StatefulSet, and its headless Service answers a DNS query with
 * exactly their IPs (ready or not: it sets publishNotReadyAddresses, so starting pods find each other; the health
 * checks of {@link Membership} decide which are up); asking again every interval follows scaling and restarts
 * without any call to the Kubernetes API. All members listen on the same port (CACHEGRID_PORT).
 * <p>
 * The JVM caches successful look-ups for 30 s by default, which would hide changes for that long; unless the
 * operator has set {@code networkaddress.cache.ttl} themselves, it is lowered to the refresh interval.
 */
final class DnsDiscovery implements Discovery {

    private static final String CACHE_TTL = "networkaddress.cache.ttl";

    private final String name;
    private final int port;

    DnsDiscovery(String name, int port, double intervalSeconds) {
        this.name = name;
        this.port = port;
        if (Security.getProperty(CACHE_TTL) == null && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty(CACHE_TTL, String.valueOf(Math.max(1, (long) Math.ceil(intervalSeconds))));
        }
    }

    @Override
    public List<NodeAddress> members() {
        try {
            return Arrays.stream(InetAddress.getAllByName(name))
                    .map(address -> new NodeAddress(address.getHostAddress(), port))
                    .distinct().toList();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "DNS " + name + " port " + port;
    }
}
