package org.btrelay.mesh;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.IoUtils;

/** A link another relay opened to us, on Undertow. Bounded: a peer that stops reading is dropped. */
final class ServerLinkTransport implements LinkTransport {
    private final WebSocketChannel channel;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final long maxQueued;

    ServerLinkTransport(WebSocketChannel channel, long maxQueued) {
        this.channel = channel;
        this.maxQueued = maxQueued;
    }

    @Override
    public void send(String text) {
        if (closing.get()) {
            return;
        }
        long size = text.length();
        if (queued.addAndGet(size) > maxQueued) {
            close(LinkCloseCodes.TIMEOUT, "peer does not read");
            return;
        }
        WebSockets.sendText(text, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                queued.addAndGet(-size);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable t) {
                queued.addAndGet(-size);
                IoUtils.safeClose(ch);
            }
        });
    }

    @Override
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
            public void onError(WebSocketChannel ch, Void context, Throwable t) {
                IoUtils.safeClose(ch);
            }
        });
    }

    @Override
    public String remoteIp() {
        return channel.getSourceAddress().getAddress().getHostAddress();
    }
}
