package org.btrelay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The bound on what waits to be written counts UTF-8 bytes, not characters. */
class BoundedWebSocketTest {

    /** A server on loopback whose every connection gets {@code onOpen} with a socket bounded to 8 bytes. */
    static Undertow server(Consumer<BoundedWebSocket> onOpen) {
        Undertow u = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(WebSocketUpgrade.handler(
                        (exchange, channel) -> {
                            channel.resumeReceives();
                            onOpen.accept(new BoundedWebSocket(channel, 8, 4000, "slow reader"));
                        },
                        ex -> ex.setStatusCode(StatusCodes.NOT_FOUND)))
                .build();
        u.start();
        return u;
    }

    @Test
    void messagesAreCountedInUtf8BytesAgainstTheBound() throws Exception {
        Undertow u = server(s -> {
            s.send("€€");    // 2 characters, 6 bytes: within 8
            s.send("€€€");   // 3 characters, 9 bytes: over 8 on its own
        });
        try {
            int port = ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
            List<String> texts = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            texts.add(data.toString());
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).join();

            assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(4000);
            assertThat(texts).containsExactly("€€");
        } finally {
            u.stop();
        }
    }
}
