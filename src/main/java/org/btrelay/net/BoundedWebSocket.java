package org.btrelay.net;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.IoUtils;

/**
 * The server side of a WebSocket with a bound on what may wait to be written: a peer that stops
 * reading is closed with a code of the caller's choice, never buffered for without limit. Used by
 * the tracker's browser connections and by relay links alike. Sends never block.
 */
public final class BoundedWebSocket {
    private final WebSocketChannel channel;
    private final long maxQueuedBytes;
    private final int slowReaderCode;
    private final String slowReaderReason;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();

    public BoundedWebSocket(WebSocketChannel channel, long maxQueuedBytes, int slowReaderCode, String slowReaderReason) {
        this.channel = channel;
        this.maxQueuedBytes = maxQueuedBytes;
        this.slowReaderCode = slowReaderCode;
        this.slowReaderReason = slowReaderReason;
    }

    public void send(String text) {
        if (closing.get()) {
            return;
        }
        long size = text.length();
        if (queued.addAndGet(size) > maxQueuedBytes) {
            queued.addAndGet(-size);
            close(slowReaderCode, slowReaderReason);
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

    /** Sends a close frame with the code and reason, then drops the connection; once. */
    public void close(int code, String reason) {
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

    public boolean isOpen() {
        return channel.isOpen() && !closing.get();
    }

    public WebSocketChannel channel() {
        return channel;
    }
}
