package org.btrelay.tracker;

import java.util.Arrays;

/** A peer in one swarm. Guarded by its swarm's lock. */
final class Peer {
    final Id20 peerId;
    /** The connection that owns this peer_id, or {@code null} for an address (HTTP/UDP) peer. */
    final Session session;
    /** Address peers only: raw IP (4 or 16 bytes) and port. */
    final byte[] ip;
    int port;
    final boolean ipv6;
    boolean seeder;
    boolean completionCounted;
    long lastSeenNanos;
    /** Position in its swarm's {@link PeerList}. */
    int index = -1;
    /** Offers this peer sent that still wait for an answer; created on first offer. */
    PendingOffers pending;

    Peer(Id20 peerId, Session session, byte[] ip, int port, boolean ipv6) {
        this.peerId = peerId;
        this.session = session;
        this.ip = ip;
        this.port = port;
        this.ipv6 = ipv6;
    }

    boolean isRtc() {
        return session != null;
    }

    /** Whether a request from this session / address may speak for this peer_id. */
    boolean ownedBy(Session s, byte[] fromIp) {
        if (session != null || s != null) {
            return session == s;
        }
        return Arrays.equals(ip, fromIp);
    }

    PeerAddress address() {
        return new PeerAddress(peerId, ip, port);
    }
}
