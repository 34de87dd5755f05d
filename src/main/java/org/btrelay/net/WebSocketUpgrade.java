package org.btrelay.net;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * Undertow's WebSocket handshake (RFC 6455 and the two drafts it also speaks), with one change:
 * once the WebSocket is open, the HTTP request that opened it lets go of its headers.
 *
 * <p>Undertow's HTTP connection keeps the upgrade request (its exchange, headers and all) for as
 * long as the WebSocket lives: about 1.5 KB per connection that nothing reads again, the largest
 * share of an idle connection. Here one upgrade listener serves every connection (Undertow's own
 * keeps a listener per request, holding the request), and the request's and response's headers
 * are cleared after the connection callback has seen them.
 */
public final class WebSocketUpgrade {
    private WebSocketUpgrade() {}

    /** Upgrades WebSocket requests and hands them to {@code callback}; other requests go to {@code next}. */
    public static HttpHandler handler(WebSocketConnectionCallback callback, HttpHandler next) {
        List<Handshake> handshakes = List.of(new Hybi13Handshake(), new Hybi08Handshake(), new Hybi07Handshake());
        Set<WebSocketChannel> peers = ConcurrentHashMap.newKeySet();
        HttpUpgradeListener open = (StreamConnection connection, HttpServerExchange exchange) -> {
            AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange, peers);
            Handshake handshake = matching(handshakes, facade);
            if (handshake == null) {
                // The handler chose a handshake for this very request; nothing else can get here.
                IoUtils.safeClose(connection);
                return;
            }
            WebSocketChannel channel = handshake.createChannel(facade, connection, facade.getBufferPool());
            peers.add(channel);
            try {
                callback.onConnect(facade, channel);
            } finally {
                // The exchange is complete (the 101 response is written); nothing reads it again.
                exchange.getRequestHeaders().clear();
                exchange.getResponseHeaders().clear();
            }
        };
        return new WebSocketProtocolHandshakeHandler(handshakes, open, next);
    }

    /** Makes the server end of a WebSocket once its upgrade is done (on the connection's I/O thread). */
    public interface Acceptor {
        ServerWebSocket accept(StreamConnection connection, HttpServerExchange upgrade);
    }

    /**
     * Upgrades WebSocket requests and frames the connections itself ({@link ServerWebSocket}): no
     * Undertow WebSocket channel, and nothing of the HTTP request is kept. Other requests go to
     * {@code next}.
     */
    public static HttpHandler handler(Acceptor acceptor, HttpHandler next) {
        List<Handshake> handshakes = List.of(new Hybi13Handshake(), new Hybi08Handshake(), new Hybi07Handshake());
        HttpUpgradeListener open = (StreamConnection connection, HttpServerExchange exchange) -> {
            acceptor.accept(connection, exchange).start(exchange);
        };
        return new WebSocketProtocolHandshakeHandler(handshakes, open, next);
    }

    private static Handshake matching(List<Handshake> handshakes, AsyncWebSocketHttpServerExchange facade) {
        for (Handshake h : handshakes) {
            if (h.matches(facade)) {
                return h;
            }
        }
        return null;
    }
}
