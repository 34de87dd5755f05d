package org.btrelay.tracker;

import java.net.InetAddress;
import java.util.List;

/**
 * A parsed announce from any frontend.
 *
 * @param left     bytes left to download; {@link #UNKNOWN_LEFT} when the client did not say
 *                 (a magnet download without metadata) — counted as a leecher
 * @param numWant  addresses wanted (HTTP/UDP); WebSocket clients get offers instead
 * @param offers   WebRTC offers to forward (WebSocket only); empty otherwise
 * @param session  the WebSocket connection that sent it, or {@code null} for HTTP/UDP
 * @param ip       the sender's address as seen by the socket (never a claimed one)
 * @param port     the port the peer listens on (HTTP/UDP); 0 for WebSocket peers
 */
public record AnnounceRequest(
        Id20 infoHash,
        Id20 peerId,
        Event event,
        long left,
        long uploaded,
        long downloaded,
        int numWant,
        List<OfferPayload> offers,
        Session session,
        InetAddress ip,
        int port) {
    public static final long UNKNOWN_LEFT = -1;

    public boolean isSeeder() {
        return left == 0;
    }
}
