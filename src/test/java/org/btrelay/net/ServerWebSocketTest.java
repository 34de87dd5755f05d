package org.btrelay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import io.undertow.util.StatusCodes;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The frame layer on its own, with an echo endpoint on a real Undertow server. */
class ServerWebSocketTest {

    /** Sends every text message back. */
    static final class Echo extends ServerWebSocket {
        Echo(org.xnio.StreamConnection c) {
            super(c, new Bounds(64 * 1024, 1024 * 1024));
        }

        @Override
        protected void onMessage(byte[] data, int off, int len, boolean text) {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            send(copy);
        }

        @Override
        protected void onClosed() {
        }
    }

    @Test
    void theHttpConnectionIsLetGoOnceTheWebSocketIsOpenAndTheSocketCarriesOn() throws Exception {
        AtomicReference<WeakReference<Object>> http = new AtomicReference<>();
        Undertow u = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(WebSocketUpgrade.handler((WebSocketUpgrade.Acceptor) (connection, upgrade) -> {
                    http.set(new WeakReference<>(upgrade.getConnection()));
                    return new Echo(connection);
                }, ex -> ex.setStatusCode(StatusCodes.NOT_FOUND)))
                .build();
        u.start();
        try {
            int port = ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
            BlockingQueue<String> texts = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            texts.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).join();
            ws.sendText("before", true).join();
            assertThat(texts.poll(10, TimeUnit.SECONDS)).isEqualTo("before");

            // Undertow's HTTP connection object is garbage while the WebSocket lives on.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (http.get().get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            assertThat(http.get().get()).as("the HTTP connection that carried the upgrade").isNull();

            ws.sendText("after " + "é".repeat(100), true).join();
            assertThat(texts.poll(10, TimeUnit.SECONDS)).isEqualTo("after " + "é".repeat(100));
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        } finally {
            u.stop();
        }
    }
}
