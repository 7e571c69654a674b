package io.cachegrid.cluster;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.crypto.spec.SecretKeySpec;

import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.BARRIER;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * Why: the JGroups protocol stack is built in code, from the node's settings, so there is no XML file to keep in
 * step with them. It is JGroups' own TCP stack (tcp.xml) with our discovery and timings:
 * <ul>
 *   <li>TCP bound to the node's listen address on the cluster port ({@link ClusterPort});</li>
 *   <li>SYM_ENCRYPT right above the transport when a cluster secret is set (AES-128/CBC with a key derived from
 *   it): every message, discovery included, is unreadable to a node without the secret, and such a node cannot
 *   join, since its join request cannot be read;</li>
 *   <li>AUTH below GMS with a {@link JoinToken} when a secret is set: joins, merges and their answers must carry
 *   an HMAC of the sender's address made with the secret, since encryption does not cover JGroups' headers;</li>
 *   <li>TCPPING on the CACHEGRID_PEERS hosts at their cluster ports, or DNS_PING on CACHEGRID_DISCOVERY_DNS;</li>
 *   <li>MERGE3 to heal partitions; FD_SOCK2 (a crashed process: its socket closes at once) plus FD_ALL3
 *   (a frozen or unreachable one: heartbeats stop) and VERIFY_SUSPECT2, tuned from the failure timeout T:
 *   heartbeats every T/10, suspected after 0.6 T of silence, verified for 0.2 T, so a frozen member is out of the
 *   view about T after it froze;</li>
 *   <li>NAKACK2, UNICAST3, STABLE, GMS, flow control and fragmentation as in tcp.xml.</li>
 * </ul>
 */
final class ChannelStack {

    /** How long a starting member looks for a coordinator before it forms a cluster of its own (ms). */
    static final long JOIN_TIMEOUT_MS = 1_000;

    private ChannelStack() {
    }

    /**
     * @param bindAddress   the address to listen on (null: JGroups picks a site-local one)
     * @param clusterPort   this node's cluster port
     * @param initialHosts  the other members' {@code host[clusterPort]} for TCPPING; ignored when {@code dnsName}
     *                      is set
     * @param dnsName       the DNS name of the members (DNS_PING), or empty
     * @param dnsServer     the DNS server to ask ({@code host:port}), or empty for the system's resolver
     * @param failureMs     the failure timeout T in milliseconds
     * @param secret        the cluster secret, if any
     */
    static List<Protocol> build(InetAddress bindAddress, int clusterPort, List<String> initialHosts, String dnsName,
                                String dnsServer, long failureMs, Optional<ClusterSecret> secret) throws Exception {
        List<Protocol> stack = new ArrayList<>();
        TCP tcp = new TCP();
        tcp.setBindAddr(bindAddress);
        tcp.setBindPort(clusterPort);
        tcp.setPortRange(ClusterPort.RANGE);
        stack.add(tcp);
        if (secret.isPresent()) {
            SYM_ENCRYPT encrypt = new SYM_ENCRYPT();
            encrypt.symAlgorithm("AES/CBC/PKCS5Padding");
            encrypt.symIvLength(16);
            encrypt.setSecretKey(new SecretKeySpec(secret.get().channelKey(), "AES"));
            stack.add(encrypt);
        }
        if (dnsName.isEmpty()) {
            TCPPING ping = new TCPPING();
            ping.setValue("initial_hosts_str", String.join(",", initialHosts)); // re-resolved until all resolve
            ping.setPortRange(ClusterPort.RANGE);
            ping.setValue("async_discovery", true);
            stack.add(ping);
        } else {
            DNS_PING ping = new DNS_PING();
            ping.dnsQuery(dnsName);
            ping.dnsRecordType("A");
            if (!dnsServer.isEmpty()) {
                ping.dnsAddress(dnsServer);
            }
            ping.setValue("async_discovery", true);
            stack.add(ping);
        }
        MERGE3 merge = new MERGE3();
        merge.setMinInterval(Math.max(500, failureMs / 5));
        merge.setMaxInterval(Math.max(1_000, failureMs * 3 / 5));
        stack.add(merge);
        stack.add(new FD_SOCK2());
        FD_ALL3 heartbeats = new FD_ALL3();
        heartbeats.setInterval(Math.max(100, failureMs / 10));
        heartbeats.setTimeout(Math.max(300, failureMs * 3 / 5));
        stack.add(heartbeats);
        stack.add(new VERIFY_SUSPECT2().setTimeout(Math.max(100, failureMs / 5)));
        stack.add(new BARRIER());
        stack.add(new NAKACK2().useMcastXmit(false));
        stack.add(new UNICAST3());
        stack.add(new STABLE().setDesiredAverageGossip(50_000));
        if (secret.isPresent()) {
            AUTH auth = new AUTH();
            JoinToken token = new JoinToken(secret.get());
            token.setAuth(auth); // setAuthToken does not (only the XML path does): the token signs with its address
            stack.add(auth.setAuthToken(token));
        }
        GMS gms = new GMS().setJoinTimeout(JOIN_TIMEOUT_MS).printLocalAddress(false);
        gms.setViewAckCollectionTimeout(Math.max(200, failureMs / 5));
        gms.setMergeTimeout(Math.max(1_000, failureMs));
        stack.add(gms);
        stack.add(new MFC());
        stack.add(new UFC());
        stack.add(new FRAG4());
        return stack;
    }

    /** TCPPING's form of a host list: {@code host[port],host[port]}. */
    static List<String> initialHosts(List<NodeAddress> peers, int configuredClusterPort) {
        return peers.stream()
                .map(p -> p.host() + "[" + ClusterPort.of(p.port(), configuredClusterPort) + "]")
                .distinct().collect(Collectors.toList());
    }
}
