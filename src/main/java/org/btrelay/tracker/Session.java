package org.btrelay.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One long-lived connection (a WebSocket) as the tracker sees it: the channel that reaches its
 * peers and the torrents it joined, so that all of them leave when it closes.
 *
 * <p>Lock order: a swarm's lock may be held while taking a session's, never the reverse.
 */
public final class Session {
    /** A torrent this connection joined under one peer_id. */
    record Membership(Id20 infoHash, Id20 peerId) {}

    enum Admission { ADMITTED, KNOWN, FULL, CLOSED }

    private final PeerChannel channel;
    private final InetAddress address;
    private final boolean ipv6;
    // Most connections join a handful of torrents: a list is smaller than a set and fast enough.
    private final List<Membership> memberships = new ArrayList<>(2);
    private boolean closed;

    Session(PeerChannel channel, InetAddress address) {
        this.channel = channel;
        this.address = address;
        this.ipv6 = address instanceof Inet6Address && PeerAddress.bytesOf(address).length == 16;
    }

    public PeerChannel channel() {
        return channel;
    }

    public InetAddress address() {
        return address;
    }

    boolean ipv6() {
        return ipv6;
    }

    synchronized Admission admit(Id20 infoHash, Id20 peerId, int max) {
        if (closed) {
            return Admission.CLOSED;
        }
        Membership m = new Membership(infoHash, peerId);
        if (memberships.contains(m)) {
            return Admission.KNOWN;
        }
        if (memberships.size() >= max) {
            return Admission.FULL;
        }
        memberships.add(m);
        return Admission.ADMITTED;
    }

    synchronized void forget(Id20 infoHash, Id20 peerId) {
        memberships.remove(new Membership(infoHash, peerId));
    }

    /** Marks the session closed and hands back what it had joined; {@code null} if already closed. */
    synchronized List<Membership> close() {
        if (closed) {
            return null;
        }
        closed = true;
        List<Membership> out = List.copyOf(memberships);
        memberships.clear();
        return out;
    }

    public synchronized int torrentCount() {
        return memberships.size();
    }

    @Override
    public String toString() {
        return "session " + address.getHostAddress();
    }
}
