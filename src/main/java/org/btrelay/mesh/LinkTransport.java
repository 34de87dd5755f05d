package org.btrelay.mesh;

/** One WebSocket carrying a relay link, whichever side opened it. Implementations never block. */
interface LinkTransport {
    void send(String text);

    /** Sends a close frame with the code and reason, then drops the connection. */
    void close(int code, String reason);

    /** The other side's IP address as the socket sees it. */
    String remoteIp();
}
