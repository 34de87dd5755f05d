package org.btrelay.net;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import org.xnio.StreamConnection;

/**
 * The one place that says where a client is. Every frontend asks here, once per HTTP request or
 * WebSocket upgrade, and uses the answer everywhere after: per-address limits, the peer address
 * the HTTP tracker hands out, statistics by address family and log lines.
 *
 * <p>A handler in front of the routes may resolve the address (e.g. from a trusted proxy's
 * headers) and {@link #attach} it; without one, it is the TCP peer's address.
 */
public final class ClientAddress {
    private static final AttachmentKey<InetSocketAddress> KEY = AttachmentKey.create(InetSocketAddress.class);

    private ClientAddress() {}

    /** Records the client's address for this exchange (and a WebSocket it upgrades to). */
    public static void attach(HttpServerExchange exchange, InetSocketAddress client) {
        exchange.putAttachment(KEY, client);
    }

    /** The client of an HTTP request. */
    public static InetSocketAddress of(HttpServerExchange exchange) {
        InetSocketAddress a = exchange.getAttachment(KEY);
        return a != null ? a : exchange.getSourceAddress();
    }

    /** The client of a WebSocket framed by {@link ServerWebSocket}, as resolved at its upgrade request. */
    public static InetSocketAddress of(HttpServerExchange upgrade, StreamConnection connection) {
        InetSocketAddress a = upgrade.getAttachment(KEY);
        return a != null ? a : connection.getPeerAddress(InetSocketAddress.class);
    }

    /** The client of a WebSocket, as resolved at its upgrade request. */
    public static InetSocketAddress of(WebSocketHttpExchange upgrade, WebSocketChannel channel) {
        InetSocketAddress a = upgrade.getAttachment(KEY);
        return a != null ? a : channel.getSourceAddress();
    }
}
