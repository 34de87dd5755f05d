package org.btrelay.net;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.IoUtils;

/**
 * The server side of a WebSocket with a bound on what may wait to be written: a peer that stops
 * reading is closed with a code of the caller's choice, never buffered for without limit. Used by
 * the tracker's browser connections and by relay links alike. Sends never block. The bound counts
 * the UTF-8 bytes of the messages waiting, exactly.
 */
public final class BoundedWebSocket {
    private final WebSocketChannel channel;
    private final long maxQueuedBytes;
    private final int slowReaderCode;
    private final String slowReaderReason;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final WebSocketCallback<byte[]> sent = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel ch, byte[] message) {
            queued.addAndGet(-message.length);
        }

        @Override
        public void onError(WebSocketChannel ch, byte[] message, Throwable throwable) {
            queued.addAndGet(-message.length);
            IoUtils.safeClose(ch);
        }
    };

    public BoundedWebSocket(WebSocketChannel channel, long maxQueuedBytes, int slowReaderCode, String slowReaderReason) {
        this.channel = channel;
        this.maxQueuedBytes = maxQueuedBytes;
        this.slowReaderCode = slowReaderCode;
        this.slowReaderReason = slowReaderReason;
    }

    public void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one text message; {@code utf8} must be valid UTF-8 and is not copied (don't change it). */
    public void send(byte[] utf8) {
        if (closing.get()) {
            return;
        }
        int size = utf8.length;
        if (queued.addAndGet(size) > maxQueuedBytes) {
            queued.addAndGet(-size);
            close(slowReaderCode, slowReaderReason);
            return;
        }
        // The message rides along as the callback's context: one callback serves every send.
        WebSockets.sendText(ByteBuffer.wrap(utf8), channel, sent, utf8);
    }

    /** Bytes handed to the channel and not yet written to the socket. */
    public long queuedBytes() {
        return queued.get();
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
