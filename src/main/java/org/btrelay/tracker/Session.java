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
    // Most connections join one torrent: it is kept in two fields, the rest (if any) in a list.
    private Id20 firstInfoHash;
    private Id20 firstPeerId;
    private List<Membership> more;
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
        if (isFirst(infoHash, peerId) || more != null && more.contains(new Membership(infoHash, peerId))) {
            return Admission.KNOWN;
        }
        if (count() >= max) {
            return Admission.FULL;
        }
        if (firstInfoHash == null) {
            firstInfoHash = infoHash;
            firstPeerId = peerId;
        } else {
            if (more == null) {
                more = new ArrayList<>(2);
            }
            more.add(new Membership(infoHash, peerId));
        }
        return Admission.ADMITTED;
    }

    private boolean isFirst(Id20 infoHash, Id20 peerId) {
        return infoHash.equals(firstInfoHash) && peerId.equals(firstPeerId);
    }

    private int count() {
        return (firstInfoHash == null ? 0 : 1) + (more == null ? 0 : more.size());
    }

    synchronized void forget(Id20 infoHash, Id20 peerId) {
        if (isFirst(infoHash, peerId)) {
            firstInfoHash = null;
            firstPeerId = null;
            if (more != null && !more.isEmpty()) {
                Membership m = more.remove(more.size() - 1);
                firstInfoHash = m.infoHash();
                firstPeerId = m.peerId();
            }
        } else if (more != null) {
            more.remove(new Membership(infoHash, peerId));
        }
        if (more != null && more.isEmpty()) {
            more = null;
        }
    }

    /** Marks the session closed and hands back what it had joined; {@code null} if already closed. */
    synchronized List<Membership> close() {
        if (closed) {
            return null;
        }
        closed = true;
        List<Membership> out = new ArrayList<>(count());
        if (firstInfoHash != null) {
            out.add(new Membership(firstInfoHash, firstPeerId));
        }
        if (more != null) {
            out.addAll(more);
        }
        firstInfoHash = null;
        firstPeerId = null;
        more = null;
        return out;
    }

    public synchronized int torrentCount() {
        return count();
    }

    @Override
    public String toString() {
        return "session " + address.getHostAddress();
    }
}
