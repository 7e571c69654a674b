package io.cachegrid.cluster;

/**
 * Why: a loopback cluster is started with nothing but distinct CACHEGRID_PORTs and one CACHEGRID_PEERS list, so each
 * member must be able to work out every other member's JGroups port from the HTTP port in that list. The rule:
 * HTTP port + {@value #OFFSET}, or HTTP port - {@value #OFFSET} when that would pass {@value #HIGHEST}. Ports of a
 * loopback cluster such as 8081-8083 thus map to 18081-18083, away from each other's HTTP ports. JGroups also
 * takes up to {@value #RANGE} further ports when the derived one is taken, and discovery probes them too.
 * CACHEGRID_CLUSTER_PORT replaces the rule (then every member must use the same cluster port, as in Kubernetes).
 */
final class ClusterPort {

    static final int OFFSET = 10_000;

    /** How many ports after the chosen one JGroups may bind, and discovery probes, when it is taken. */
    static final int RANGE = 3;

    /** The highest derived port, so that the range above it still fits under 65535. */
    static final int HIGHEST = 65_535 - RANGE;

    /** FD_SOCK2's port is the cluster port plus this (JGroups' default), so Kubernetes must expose it too. */
    static final int FAILURE_DETECTION_OFFSET = 100;

    private ClusterPort() {
    }

    /** The cluster port of a member reached over HTTP on {@code httpPort}. */
    static int of(int httpPort, int configured) {
        if (configured > 0) {
            return configured;
        }
        return httpPort + OFFSET <= HIGHEST ? httpPort + OFFSET : httpPort - OFFSET;
    }
}
