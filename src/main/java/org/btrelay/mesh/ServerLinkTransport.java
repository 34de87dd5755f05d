package org.btrelay.mesh;

import io.undertow.websockets.core.WebSocketChannel;
import java.net.InetSocketAddress;
import org.btrelay.net.BoundedWebSocket;

/** A link another relay opened to us, on Undertow. Bounded: a peer that stops reading is dropped. */
final class ServerLinkTransport implements LinkTransport {
    private final BoundedWebSocket socket;
    private final String remoteIp;

    ServerLinkTransport(WebSocketChannel channel, InetSocketAddress client, long maxQueued) {
        this.remoteIp = client.getAddress().getHostAddress();
        this.socket = new BoundedWebSocket(channel, maxQueued, LinkCloseCodes.TIMEOUT, "peer does not read");
    }

    @Override
    public void send(String text) {
        socket.send(text);
    }

    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }
}
