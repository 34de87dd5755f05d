package org.btrelay.tracker.ws;

import java.net.InetSocketAddress;
import org.btrelay.net.ServerWebSocket;
import org.btrelay.net.Utf8;
import org.btrelay.tracker.PeerChannel;
import org.btrelay.tracker.Session;
import org.btrelay.tracker.Signal;
import org.xnio.StreamConnection;

/**
 * One browser's WebSocket: the channel the tracker delivers its signals to, with a bound on what
 * may wait to be written (a reader that stops reading is closed, not buffered for) and a token
 * bucket on what it may send. One object per connection, frames and all.
 */
final class WsConnection extends ServerWebSocket implements PeerChannel {
    private final WsTracker tracker;
    private final InetSocketAddress client;

    Session session;
    /** When the last message arrived: for the idle timeout, and the time the bucket was last filled. */
    volatile long lastMessageNanos;
    int invalidMessages;
    // Touched only by the connection's I/O thread, which reads its messages one at a time.
    private double tokens;

    WsConnection(WsTracker tracker, StreamConnection connection, InetSocketAddress client, long nowNanos) {
        super(connection, tracker.bounds);
        this.tracker = tracker;
        this.client = client;
        this.tokens = tracker.burst;
        this.lastMessageNanos = nowNanos;
    }

    /**
     * Notes a message's arrival and takes a token for it; false when the client sends faster than
     * allowed.
     */
    boolean allowMessage(long nowNanos) {
        tokens = Math.min(tracker.burst, tokens + (nowNanos - lastMessageNanos) * tracker.ratePerNano);
        lastMessageNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /**
     * A tracker message in a binary frame is served like a text one, with the same size bound; its
     * UTF-8 is checked here (the frame layer checks text only): invalid, 1007 as for text.
     */
    @Override
    protected void onMessage(byte[] data, int off, int len, boolean text) {
        if (!text && !Utf8.valid(data, off, len)) {
            close(WsCloseCodes.INVALID_DATA, "a binary message must hold UTF-8 JSON");
            return;
        }
        tracker.onMessage(this, data, off, len);
    }

    /** Its peers leave as soon as the close begins, not when the socket finally goes. */
    @Override
    protected void onClosing() {
        tracker.closing(this);
    }

    @Override
    protected void onClosed() {
        tracker.closed(this);
    }

    @Override
    protected int slowReaderCode() {
        return WsCloseCodes.SLOW_READER;
    }

    @Override
    public void deliver(Signal signal) {
        send(tracker.codec.signal(signal));
    }

    @Override
    public String toString() {
        return String.valueOf(client);
    }
}
