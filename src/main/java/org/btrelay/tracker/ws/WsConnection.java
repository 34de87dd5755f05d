package org.btrelay.tracker.ws;

import io.undertow.websockets.core.WebSocketChannel;
import java.net.InetSocketAddress;
import org.btrelay.net.BoundedWebSocket;
import org.btrelay.tracker.PeerChannel;
import org.btrelay.tracker.Session;
import org.btrelay.tracker.Signal;

/**
 * One browser's WebSocket: the channel the tracker delivers its signals to, with a bound on what
 * may wait to be written (a reader that stops reading is closed, not buffered for) and a token
 * bucket on what it may send.
 */
final class WsConnection implements PeerChannel {
    private final BoundedWebSocket socket;
    private final InetSocketAddress client;
    private final WsCodec codec;
    private final double ratePerNano;
    private final double burst;

    Session session;
    volatile long lastMessageNanos;
    int invalidMessages;
    // Touched only by the connection's I/O thread, which reads its messages one at a time.
    private double tokens;
    private long lastRefillNanos;

    WsConnection(WebSocketChannel channel, InetSocketAddress client, WsCodec codec, long maxQueuedBytes, int perSecond, int burst,
                 long nowNanos) {
        this.socket = new BoundedWebSocket(channel, maxQueuedBytes, WsCloseCodes.SLOW_READER,
                "too much data waiting: the client does not read");
        this.client = client;
        this.codec = codec;
        this.ratePerNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
        this.lastMessageNanos = nowNanos;
    }

    /** Takes a token for one incoming message; false when the client sends faster than allowed. */
    boolean allowMessage(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefillNanos) * ratePerNano);
        lastRefillNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    @Override
    public void deliver(Signal signal) {
        send(codec.signal(signal));
    }

    void send(byte[] utf8) {
        socket.send(utf8);
    }

    /** Sends a close frame with the code and reason, then drops the connection. */
    void close(int code, String reason) {
        socket.close(code, reason);
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public String toString() {
        return String.valueOf(client);
    }
}
