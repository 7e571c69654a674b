package io.cachegrid.cluster;

/**
 * Why: "the peer could not be reached or did not answer in time" is the one failure routing acts on (it marks the
 * peer down and tries the next owner); an HTTP error status from a peer is an answer, not this.
 */
final class PeerUnavailableException extends Exception {

    private final NodeAddress peer;

    PeerUnavailableException(NodeAddress peer, Throwable cause) {
        super(peer + " unavailable: " + cause, cause);
        this.peer = peer;
    }

    NodeAddress peer() {
        return peer;
    }
}
