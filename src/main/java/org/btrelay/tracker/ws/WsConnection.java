package org.btrelay.tracker.ws;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.btrelay.tracker.PeerChannel;
import org.btrelay.tracker.Session;
import org.btrelay.tracker.Signal;
import org.xnio.IoUtils;

/**
 * One browser's WebSocket: the channel the tracker delivers its signals to, with a bound on what
 * may wait to be written (a reader that stops reading is closed, not buffered for) and a token
 * bucket on what it may send.
 */
final class WsConnection implements PeerChannel {
    private final WebSocketChannel channel;
    private final WsCodec codec;
    private final long maxQueuedBytes;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final double ratePerNano;
    private final double burst;
    private final String remote;

    Session session;
    volatile long lastMessageNanos;
    int invalidMessages;
    // Touched only by the connection's I/O thread, which reads its messages one at a time.
    private double tokens;
    private long lastRefillNanos;

    WsConnection(WebSocketChannel channel, WsCodec codec, long maxQueuedBytes, int perSecond, int burst,
                 long nowNanos) {
        this.channel = channel;
        this.codec = codec;
        this.maxQueuedBytes = maxQueuedBytes;
        this.ratePerNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
        this.lastMessageNanos = nowNanos;
        this.remote = String.valueOf(channel.getSourceAddress());
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

    void send(String text) {
        if (closing.get()) {
            return;
        }
        long size = text.length();
        if (queued.addAndGet(size) > maxQueuedBytes) {
            queued.addAndGet(-size);
            close(WsCloseCodes.SLOW_READER, "too much data waiting: the client does not read");
            return;
        }
        WebSockets.sendText(text, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                queued.addAndGet(-size);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                queued.addAndGet(-size);
                IoUtils.safeClose(ch);
            }
        });
    }

    /** Sends a close frame with the code and reason, then drops the connection. */
    void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        WebSockets.sendClose(code, reason, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                IoUtils.safeClose(ch);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                IoUtils.safeClose(ch);
            }
        });
    }

    boolean isOpen() {
        return channel.isOpen() && !closing.get();
    }

    long queuedBytes() {
        return queued.get();
    }

    @Override
    public String toString() {
        return remote;
    }
}
