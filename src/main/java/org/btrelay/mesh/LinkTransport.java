package org.btrelay.mesh;

import java.net.InetSocketAddress;

/** One WebSocket carrying a relay link, whichever side opened it. Implementations never block. */
interface LinkTransport {
    /** Where a transport hands what arrives; the mesh posts both to its thread. */
    interface Inbox {
        void text(String message);

        void closed();
    }

    /** Queues one text message; a peer that lets too much wait is dropped by the transport. */
    void send(String text);

    /** Sends a close frame with the code and reason, then drops the connection. */
    void close(int code, String reason);

    /**
     * The other side as this side sees it: for a link it accepted, the address the connection
     * came from (IP and source port); for a link it dialled, the host and port it dialled.
     */
    InetSocketAddress remoteAddress();

    /** UTF-8 bytes handed to the socket and not yet written. */
    long queuedBytes();

    default String remoteIp() {
        InetSocketAddress a = remoteAddress();
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }
}
