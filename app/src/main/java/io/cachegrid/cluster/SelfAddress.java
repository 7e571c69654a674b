package io.cachegrid.cluster;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Why: a node must recognise itself in the member list, or it would count itself twice on the ring and forward
 * requests to itself; and it must use for itself the same name its peers use, because that name is its place on
 * the ring. Peers list a node by whatever reaches it (a container name, a pod IP), so:
 * <ul>
 *   <li>a member is this node when it equals CACHEGRID_ADVERTISE, or when its port is our listening port and its
 *   host resolves to an address of one of our network interfaces;</li>
 *   <li>this node's name is CACHEGRID_ADVERTISE if set, else the static-list entry recognised as itself, else the
 *   listener's host:port, with a wildcard host (0.0.0.0) replaced by this machine's address (the pod IP).</li>
 * </ul>
 */
final class SelfAddress {

    private final NodeAddress advertised;
    private final int listenPort;

    private SelfAddress(NodeAddress advertised, int listenPort) {
        this.advertised = advertised;
        this.listenPort = listenPort;
    }

    static SelfAddress resolve(ClusterSettings settings, String listenHost, int listenPort) {
        if (settings.advertise().isPresent()) {
            return new SelfAddress(settings.advertise().get(), listenPort);
        }
        for (NodeAddress peer : settings.peers()) {
            if (isLocal(peer, listenPort)) {
                return new SelfAddress(peer, listenPort);
            }
        }
        return new SelfAddress(new NodeAddress(reachableHost(listenHost), listenPort), listenPort);
    }

    NodeAddress address() {
        return advertised;
    }

    boolean is(NodeAddress member) {
        return member.equals(advertised) || isLocal(member, listenPort);
    }

    /** The member list with this node's entries replaced by its one name, which is always included. */
    List<NodeAddress> normalise(List<NodeAddress> members) {
        return Stream.concat(members.stream().filter(m -> !is(m)), Stream.of(advertised)).distinct().sorted().toList();
    }

    private static boolean isLocal(NodeAddress member, int listenPort) {
        if (member.port() != listenPort) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(member.host());
            return address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    private static String reachableHost(String listenHost) {
        try {
            return InetAddress.getByName(listenHost).isAnyLocalAddress()
                    ? InetAddress.getLocalHost().getHostAddress()
                    : listenHost;
        } catch (UnknownHostException e) {
            return listenHost;
        }
    }
}
