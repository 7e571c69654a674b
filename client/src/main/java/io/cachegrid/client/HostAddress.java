package io.cachegrid.client;

import java.net.URI;

/** Parses a "host" or "host:port" address (port 8080 when absent, as in the Python client) into a base URI. */
final class HostAddress {
    static final int DEFAULT_PORT = 8080;

    private HostAddress() {
    }

    static URI parse(String address) {
        if (address == null || address.isBlank() || address.contains("/")) {
            throw new IllegalArgumentException("host must be \"host\" or \"host:port\", was \"" + address + "\"");
        }
        String withPort = address.lastIndexOf(':') > address.lastIndexOf(']') ? address : address + ":" + DEFAULT_PORT;
        URI uri = URI.create("http://" + withPort);
        if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("host must be \"host\" or \"host:port\", was \"" + address + "\"");
        }
        return uri;
    }
}
