package org.btrelay.mesh;

import java.net.InetSocketAddress;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A link we opened, on the JDK's WebSocket client. That client allows one send at a time, so
 * sends are chained; how many may wait, and how many bytes, is bounded.
 */
final class ClientLinkTransport implements LinkTransport {
    static final int MAX_PENDING_SENDS = 64;

    private final InetSocketAddress remote;
    private final long maxQueuedBytes;
    private WebSocket ws;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private int pending;
    private long queuedBytes;
    private boolean closing;

    ClientLinkTransport(InetSocketAddress dialled, long maxQueuedBytes) {
        this.remote = dialled;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    synchronized void attach(WebSocket ws) {
        this.ws = ws;
    }

    @Override
    public synchronized void send(String text) {
        if (closing || ws == null) {
            return;
        }
        long size = text.getBytes(StandardCharsets.UTF_8).length;
        if (pending >= MAX_PENDING_SENDS || queuedBytes + size > maxQueuedBytes) {
            ws.abort();
            closing = true;
            return;
        }
        pending++;
        queuedBytes += size;
        WebSocket socket = ws;
        tail = tail.handle((r, e) -> null).thenCompose(x -> socket.sendText(text, true))
                .whenComplete((r, e) -> sent(size, e));
    }

    private synchronized void sent(long size, Throwable error) {
        pending--;
        queuedBytes -= size;
        if (error != null && ws != null) {
            ws.abort();
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closing || ws == null) {
            closing = true;
            return;
        }
        closing = true;
        WebSocket socket = ws;
        tail.handle((r, e) -> null)
                .thenCompose(x -> socket.sendClose(code, reason))
                .orTimeout(2, TimeUnit.SECONDS)
                .whenComplete((r, e) -> socket.abort());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** The JDK client's callbacks: whole text messages (at most {@code maxMessageBytes}) to the inbox. */
    WebSocket.Listener listener(Inbox inbox, int maxMessageBytes) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                if (partial.length() + data.length() > maxMessageBytes) {
                    partial.setLength(0);
                    close(LinkCloseCodes.MESSAGE_TOO_BIG, "message too big");
                    socket.abort();
                    return null;
                }
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    inbox.text(text);
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket socket, java.nio.ByteBuffer data, boolean last) {
                close(LinkCloseCodes.BAD_MESSAGE, "binary messages are not part of the protocol");
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                inbox.closed();
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                inbox.closed();
            }
        };
    }
}
