package org.btrelay.mesh;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.net.InetSocketAddress;
import org.btrelay.net.BoundedWebSocket;

/** A link another relay opened to us, on Undertow. Bounded: a peer that stops reading is dropped. */
final class ServerLinkTransport implements LinkTransport {
    private final WebSocketChannel channel;
    private final BoundedWebSocket socket;
    private final InetSocketAddress remote;

    ServerLinkTransport(WebSocketChannel channel, InetSocketAddress client, long maxQueued) {
        this.channel = channel;
        this.remote = client;
        this.socket = new BoundedWebSocket(channel, maxQueued, LinkCloseCodes.TIMEOUT, "peer does not read");
    }

    /** Starts reading: every whole text message (at most {@code maxMessageBytes}) goes to the inbox. */
    void start(Inbox inbox, int maxMessageBytes) {
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected long getMaxTextBufferSize() {
                return maxMessageBytes;
            }

            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                inbox.text(message.getData());
            }

            @Override
            protected void onBinary(WebSocketChannel ch, StreamSourceFrameChannel frame) {
                org.xnio.IoUtils.safeClose(frame);
                close(LinkCloseCodes.BAD_MESSAGE, "binary messages are not part of the protocol");
            }
        });
        channel.addCloseTask(ch -> inbox.closed());
        channel.resumeReceives();
    }

    @Override
    public void send(String text) {
        socket.send(text);
    }

    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public long queuedBytes() {
        return socket.queuedBytes();
    }
}
