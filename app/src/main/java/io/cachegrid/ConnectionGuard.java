package io.cachegrid;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import com.sun.management.UnixOperatingSystemMXBean;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: the listener must outlive clients that hoard connections. Helidon 4.5.0 alone does not get there: its
 * {@code max-tcp-connections} takes a permit <em>before</em> {@code accept}, so connections beyond it wait unanswered
 * in the kernel's backlog instead of being refused; {@code connection-options.read-timeout} is not applied to server
 * sockets; its idle-connection timeout closes only connections waiting for a request line; and one failed
 * {@code accept} ("Too many open files") ends the listener for good.
 * <p>
 * This guard sits where Helidon configures each accepted socket ({@link SocketOptions#configureSocket(SocketChannel)},
 * called on the listener thread right after {@code accept}) and in a routing filter:
 * <ul>
 *     <li><b>Cap.</b> It counts open connections; one over {@code CACHEGRID_MAX_CONNECTIONS} gets a 503 JSON line and
 *     is closed at once (Helidon closes a socket whose configuration throws and keeps accepting). The cap is also
 *     kept below the process's file-descriptor limit ({@link #effectiveCap}), so the server's own connections can
 *     never make {@code accept} fail.</li>
 *     <li><b>Read timeout.</b> Sockets are read through the blocking socket adaptor ({@code use-nio: false}), which
 *     honours {@code SO_TIMEOUT}: the server waits at most {@code CACHEGRID_READ_TIMEOUT_SECONDS} for the next bytes
 *     of a request (line, headers, body) and for the first request on a new connection.</li>
 *     <li><b>Idle timeout.</b> After a response the wait for the next request on a kept-alive connection is
 *     {@code CACHEGRID_IDLE_TIMEOUT_SECONDS}.</li>
 *     <li><b>Request timeout.</b> A request may take at most {@code CACHEGRID_REQUEST_TIMEOUT_SECONDS} from routing to
 *     the last byte of its answer. The read timeout cannot see a client that sends its request and then never reads
 *     the answer: the server's write blocks once the socket buffers are full, holding the connection and the answer's
 *     share of {@code CACHEGRID_MAX_RESPONSE_BYTES} for as long as the client likes. {@link #closeOverdue} (run every
 *     second by the node) closes such a connection, which ends the blocked write and frees its share.</li>
 *     <li><b>{@code Connection: close}.</b> Helidon 4.5.0 answers it but keeps the socket open (upstream issue
 *     12324): after such a response the guard shuts the socket's output (the client reads EOF) and ends the
 *     connection, so nothing sent after that request is parsed.</li>
 * </ul>
 * Closed connections are forgotten when the count is next needed at the cap, or by {@link #prune()}.
 */
final class ConnectionGuard {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());

    /**
     * Descriptors kept free for everything but client connections: log and snapshot files, peer connections of a
     * cluster, jars opened late, /proc reads of the system meters. At least this many, or a tenth of the limit.
     */
    static final long FD_RESERVE_MIN = 64;

    /** Refusals are logged at most once per this period, with the count since the last line. */
    private static final long REFUSAL_LOG_NANOS = Duration.ofSeconds(10).toNanos();

    private static final byte[] REFUSAL = ("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
            + "Content-Type: application/json\r\nContent-Length: ")
            .getBytes(StandardCharsets.US_ASCII);

    private final int cap;
    private final int readTimeoutMillis;
    private final int idleTimeoutMillis;
    private final long requestTimeoutNanos;
    private final Map<Peers, Connection> open = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_NANOS);

    ConnectionGuard(int cap, Duration readTimeout, Duration idleTimeout, Duration requestTimeout) {
        this.cap = cap;
        this.readTimeoutMillis = millis(readTimeout);
        this.idleTimeoutMillis = millis(idleTimeout);
        this.requestTimeoutNanos = requestTimeout.toNanos();
    }

    /**
     * The cap that fits the process: the configured one, or fewer when the file-descriptor limit leaves less room
     * (descriptors open now, plus a reserve of a tenth of the limit and at least {@link #FD_RESERVE_MIN}).
     */
    static int effectiveCap(int configured) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) {
            return configured;
        }
        return effectiveCap(configured, os.getMaxFileDescriptorCount(), os.getOpenFileDescriptorCount());
    }

    static int effectiveCap(int configured, long maxFds, long openFds) {
        long room = maxFds - openFds - Math.max(FD_RESERVE_MIN, maxFds / 10);
        return (int) Math.max(1, Math.min(configured, room));
    }

    int cap() {
        return cap;
    }

    /** Open connections counted (closed ones may linger here until the next {@link #prune()}). */
    int openConnections() {
        return open.size();
    }

    /** Helidon's socket options for accepted sockets, with this guard's admission step added. */
    SocketOptions socketOptions(SocketOptions base) {
        return new GuardedSocketOptions(base, this);
    }

    /** Runs on the listener thread right after accept; throwing makes Helidon close the socket. */
    private void admit(SocketChannel channel) {
        Peers peers = Peers.of(channel);
        if (open.size() >= cap) {
            prune();
        }
        if (peers == null || open.size() >= cap) {
            refuse(channel);
            throw new IllegalStateException("connection refused: " + cap + " connections open (the cap)");
        }
        try {
            channel.socket().setSoTimeout(readTimeoutMillis);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set the read timeout", e);
        }
        open.put(peers, new Connection(channel));
    }

    /** A short 503 before the close, so a client sees why; the socket is fresh, so this small write cannot block. */
    private void refuse(SocketChannel channel) {
        byte[] body = ("{\"error\":\"too many connections\",\"detail\":\"the server has " + cap
                + " connections open (CACHEGRID_MAX_CONNECTIONS); retry later or reuse a connection\"}")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer answer = ByteBuffer.allocate(REFUSAL.length + 16 + body.length)
                .put(REFUSAL).put((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        try {
            channel.configureBlocking(false);
            channel.write(answer);
            channel.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone already; Helidon closes the socket either way
        }
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last >= REFUSAL_LOG_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "Connection cap of {0} reached: refusing new connections ({1} "
                    + "refused so far); raise CACHEGRID_MAX_CONNECTIONS or the file-descriptor limit if this is "
                    + "legitimate load", String.valueOf(cap), String.valueOf(count));
        }
    }

    /** Forgets connections Helidon has closed. */
    void prune() {
        for (Iterator<Connection> it = open.values().iterator(); it.hasNext(); ) {
            if (!it.next().channel.isOpen()) {
                it.remove();
            }
        }
    }

    /**
     * The routing filter: the read timeout while a request is handled (its body is read then), the idle timeout
     * after it, and the {@code Connection: close} workaround.
     */
    void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Connection connection = open.get(new Peers(req.localPeer().address(), req.remotePeer().address()));
        if (connection == null) {
            chain.proceed();
            return;
        }
        SocketChannel channel = connection.channel;
        setTimeout(channel, readTimeoutMillis);
        // the start is kept on the connection itself: no map entry (and boxed Long) per request
        long started = System.nanoTime();
        connection.since = started == Connection.IDLE ? started + 1 : started;
        try {
            chain.proceed();
        } finally {
            connection.since = Connection.IDLE;
        }
        if (res.isSent() && closing(req, res)) {
            closeAfterResponse(channel);
        }
        setTimeout(channel, idleTimeoutMillis);
    }

    /**
     * Closes every connection whose request has been handled for longer than the request timeout (its client
     * stopped reading the answer, or sends its body slower than the timeout allows); returns how many. The blocked
     * write or read then fails, and the handler's resources are released as after any broken connection.
     */
    int closeOverdue(long nowNanos) {
        int closed = 0;
        for (Connection connection : open.values()) {
            long since = connection.since;
            if (since != Connection.IDLE && nowNanos - since > requestTimeoutNanos
                    && Connection.SINCE.compareAndSet(connection, since, Connection.IDLE)) {
                try {
                    connection.channel.close();
                } catch (IOException ignored) {
                    // closed already
                }
                closed++;
            }
        }
        if (closed > 0) {
            LOG.log(System.Logger.Level.WARNING, "Closed {0} connection(s) whose request outlasted "
                    + "CACHEGRID_REQUEST_TIMEOUT_SECONDS (a client not reading its answer?)", String.valueOf(closed));
        }
        return closed;
    }

    private static boolean closing(RoutingRequest req, RoutingResponse res) {
        return asksToClose(req.headers()) || asksToClose(res.headers());
    }

    /**
     * Whether a Connection header lists {@code close}. Helidon's containsToken builds a stream and token lists even
     * when the header is absent or a lone {@code keep-alive} (what answers carried before application.yaml turned
     * it off), about 0.5 KB per request (docs/performance.md, "Where a GET's bytes go"): those two cases are
     * answered first, the rest by it.
     */
    private static boolean asksToClose(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return false;
        }
        Header connection = headers.get(HeaderNames.CONNECTION);
        if (connection.valueCount() == 1 && "keep-alive".equalsIgnoreCase(connection.get())) {
            return false;
        }
        return headers.containsToken(HeaderValues.CONNECTION_CLOSE);
    }

    /**
     * The response is written (Helidon writes synchronously): FIN after it, then end the connection. Throwing
     * {@link CloseConnectionException} is how a handler tells Helidon to stop reading requests from a connection;
     * bytes the client sent after this request (a pipelined request, the rest of a broken body) are never parsed.
     */
    private static void closeAfterResponse(SocketChannel channel) {
        try {
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // already closed by the client
        }
        throw new CloseConnectionException("the request or its response asked to close the connection");
    }

    private static void setTimeout(SocketChannel channel, int millis) {
        try {
            channel.socket().setSoTimeout(millis);
        } catch (IOException ignored) {
            // the socket is closing; the server notices on its next read
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }

    /** An admitted connection, and whether (since when) one of its requests is being handled. */
    private static final class Connection {
        static final long IDLE = 0;
        static final AtomicLongFieldUpdater<Connection> SINCE =
                AtomicLongFieldUpdater.newUpdater(Connection.class, "since");

        final SocketChannel channel;
        /** {@link System#nanoTime()} when the request being handled started, or {@link #IDLE} between requests. */
        volatile long since = IDLE;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** A connection's two ends; a request names its connection by them. */
    private record Peers(SocketAddress local, SocketAddress remote) {

        static Peers of(SocketChannel channel) {
            try {
                return new Peers(channel.getLocalAddress(), channel.getRemoteAddress());
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Helidon's options plus the admission step; everything else is the base options' own. */
    private record GuardedSocketOptions(SocketOptions base, ConnectionGuard guard) implements SocketOptions {

        @Override
        public void configureSocket(SocketChannel socket) {
            base.configureSocket(socket);
            guard.admit(socket);
        }

        @Override
        public void configureSocket(java.net.Socket socket) {
            base.configureSocket(socket);
        }

        @Override
        public Map<SocketOption<?>, Object> socketOptions() {
            return base.socketOptions();
        }

        @Override
        public Duration connectTimeout() {
            return base.connectTimeout();
        }

        @Override
        public Duration readTimeout() {
            return base.readTimeout();
        }

        @Override
        public Optional<Integer> socketReceiveBufferSize() {
            return base.socketReceiveBufferSize();
        }

        @Override
        public Optional<Integer> socketSendBufferSize() {
            return base.socketSendBufferSize();
        }

        @Override
        public boolean socketReuseAddress() {
            return base.socketReuseAddress();
        }

        @Override
        public boolean socketKeepAlive() {
            return base.socketKeepAlive();
        }

        @Override
        public boolean tcpNoDelay() {
            return base.tcpNoDelay();
        }
    }
}
