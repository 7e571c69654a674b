package io.cachegrid.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback address where nothing answers, for as long as this is open: a socket bound to a port the OS chose and
 * not listening, so a connection is refused at once and no other process can be given the port meanwhile (a port
 * that was merely free a moment ago could be taken by anything on the machine before the test connects).
 */
final class DeadPort implements AutoCloseable {
    private final Socket socket = new Socket();

    DeadPort() {
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
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
