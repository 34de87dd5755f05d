package org.btrelay.mesh;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A link we opened, on the JDK's WebSocket client. That client allows one send at a time, so
 * sends are chained; how many may wait is bounded.
 */
final class ClientLinkTransport implements LinkTransport {
    static final int MAX_PENDING_SENDS = 64;

    private final String remoteIp;
    private WebSocket ws;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private int pending;
    private boolean closing;

    ClientLinkTransport(String remoteIp) {
        this.remoteIp = remoteIp;
    }

    synchronized void attach(WebSocket ws) {
        this.ws = ws;
    }

    @Override
    public synchronized void send(String text) {
        if (closing || ws == null) {
            return;
        }
        if (pending >= MAX_PENDING_SENDS) {
            ws.abort();
            closing = true;
            return;
        }
        pending++;
        WebSocket socket = ws;
        tail = tail.handle((r, e) -> null).thenCompose(x -> socket.sendText(text, true))
                .whenComplete((r, e) -> sent(e));
    }

    private synchronized void sent(Throwable error) {
        pending--;
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
    public String remoteIp() {
        return remoteIp;
    }
}
