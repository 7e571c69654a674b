package io.cachegrid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port taken from the OS and held (bound, not listening) until a server listens on it, for the few
 * tests whose members must know each other's ports before they start (static cluster peers). SO_REUSEADDR lets the
 * server bind the port while this still holds it, so there is no moment in which another process can take it; peers
 * that probe a member not started yet get "connection refused" at once.
 */
public final class PortReservation implements AutoCloseable {

    private final Socket socket = new Socket();

    public PortReservation() {
        this(0);
    }

    /**
     * Holds this loopback port (0: one the OS picks), e.g. again while the member that listened on it is down and
     * is to be restarted on it.
     */
    public PortReservation(int port) {
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing is left to release
        }
    }
}
