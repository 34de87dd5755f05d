package org.btrelay.mesh;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * One link to another relay, in or out, through its handshake and life.
 *
 * <p>Everything here is for the mesh thread only: handlers and {@link LinkListener}s get a link
 * there, and may keep it to send on later from there (through {@link Mesh#execute}). Once closed,
 * a link stays closed; a relay that links again comes on a new {@code Link}.
 */
public final class Link {
    /** What the mesh does when a link is closed from inside (a rule broken, a timeout, {@link #close}). */
    interface Closer {
        void drop(Link link, int code, String reason);
    }

    private final LinkTransport transport;
    private final boolean outbound;
    private final MessageTable table;
    private final Closer closer;
    private final TokenBucket inbound;
    /** The candidate's key ({@code host:port}) for a link we dialled; {@code null} for one we accepted. */
    final String dialKey;
    /** The nonce this side sent in its hello. */
    final String myNonce;

    RelayRecord peer;
    /** The proof verified: the peer is who its record says. */
    boolean authenticated;
    /** The directory's link for its relay; {@link LinkListener}s were told. */
    boolean up;
    boolean closed;
    /** Named by both sides. */
    Set<String> capabilities = Set.of();
    long openedAt;
    /** When the last health or answered ping arrived (mesh clock, ms). */
    long lastHeard;
    long pingN;
    long pingSentNanos;
    /** Messages ignored: a type this relay does not know or a capability not shared on this link. */
    long ignored;

    Link(LinkTransport transport, boolean outbound, String dialKey, String myNonce, MessageTable table, Closer closer,
         TokenBucket inbound) {
        this.transport = transport;
        this.outbound = outbound;
        this.dialKey = dialKey;
        this.myNonce = myNonce;
        this.table = table;
        this.closer = closer;
        this.inbound = inbound;
    }

    /** The other relay's id; {@code null} before its hello. */
    public String relayId() {
        return peer == null ? null : peer.id();
    }

    /** The other relay's signed record, as it gave it in its hello; {@code null} before that. */
    public RelayRecord record() {
        return peer;
    }

    /** Whether both sides named this capability: only then are its messages sent or handled on this link. */
    public boolean has(String capability) {
        return capabilities.contains(capability);
    }

    /** The capabilities both sides named. */
    public Set<String> capabilities() {
        return capabilities;
    }

    /** This relay dialled the link (as opposed to accepting it). */
    public boolean outbound() {
        return outbound;
    }

    /**
     * The other side as this relay sees it: for an accepted link, the address the connection came
     * from (what a peer would be told as "you appear as"); for a dialled link, where we dialled.
     */
    public InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    /** Bytes queued to this link and not yet written; past the bound the link is dropped. */
    public long queuedBytes() {
        return transport.queuedBytes();
    }

    /**
     * Queues a message. Returns false, and sends nothing, when the link is closed or the
     * message's capability is not shared on it (which includes any capability before the
     * handshake is done).
     */
    public boolean send(LinkMessage message) {
        if (closed) {
            return false;
        }
        String capability = table.capabilityOf(message.getClass());
        if (capability != null && !has(capability)) {
            return false;
        }
        transport.send(table.encode(message));
        return true;
    }

    /** Closes the link with a code of {@link LinkCloseCodes}; the mesh marks the relay down and redials as usual. */
    public void close(int code, String reason) {
        closer.drop(this, code, reason);
    }

    LinkTransport transport() {
        return transport;
    }

    boolean takeToken(long nowNanos) {
        return inbound.take(nowNanos);
    }

    @Override
    public String toString() {
        return (peer == null ? "?" : Mesh.shortId(peer.id())) + " (" + transport.remoteIp() + ")";
    }
}
