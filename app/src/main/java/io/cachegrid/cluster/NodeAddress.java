package io.cachegrid.cluster;

import java.util.Locale;
import java.util.Objects;

/**
 * Why: a member of the cluster is known by the {@code host:port} its peers use to reach it, and that text is also
 * its identity on the hash ring. Parsing it once, strictly, keeps every node's view of a member identical.
 *
 * @param host a host name or IP address (IPv6 without brackets)
 * @param port 1..65535
 */
public record NodeAddress(String host, int port) implements Comparable<NodeAddress> {

    public NodeAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("bad address " + host + ":" + port);
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static NodeAddress parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got " + text);
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 address needs brackets: [addr]:port, got " + text);
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.isLetterOrDigit(c) || ".-_:%".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("bad host in " + text);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text);
        }
        return new NodeAddress(host, port);
    }

    @Override
    public int compareTo(NodeAddress other) {
        return toString().compareTo(other.toString());
    }

    /** {@code host:port}, with brackets around an IPv6 host: the form used on the ring and in URLs. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
