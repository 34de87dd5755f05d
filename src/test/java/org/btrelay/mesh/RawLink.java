package org.btrelay.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-driven relay link for tests: speaks (or mis-speaks) the protocol to a real relay. */
final class RawLink implements AutoCloseable {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final WebSocket ws;

    RawLink(String relayWsUrl) {
        ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(relayWsUrl + "relay"),
                new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                received.add(Mesh.JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                        closeCode.complete(code);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closeCode.complete(-1);
                    }
                }).join();
    }

    void send(Object message) throws Exception {
        sendText(Mesh.JSON.writeValueAsString(message));
    }

    void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** The next message of the given type, skipping others. */
    JsonNode next(String type) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode n = received.poll(100, TimeUnit.MILLISECONDS);
            if (n != null && type.equals(n.path("type").asText())) {
                return n;
            }
        }
        throw new AssertionError("no '" + type + "' message within 5 s");
    }

    int awaitClose() throws Exception {
        return closeCode.get(5, TimeUnit.SECONDS);
    }

    static LinkMessage.Hello hello(Identity me, String nonce) {
        RelayRecord r = RelayRecord.create(me, "raw test relay", "test", null, List.of(), List.of("bittorrent-relay"),
                System.currentTimeMillis());
        return new LinkMessage.Hello(LinkMessage.VERSION, r, nonce);
    }

    static String nonce() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** Proves {@code me} to the relay whose hello was {@code theirHello}. */
    static LinkMessage.Proof proof(Identity me, JsonNode theirHello) {
        String theirNonce = theirHello.path("nonce").asText();
        String theirId = theirHello.path("record").path("id").asText();
        return new LinkMessage.Proof(Base64.getEncoder().encodeToString(
                me.sign(Mesh.proofBytes(theirNonce, me.id(), theirId))));
    }

    /** Completes a correct handshake as {@code me}. */
    static RawLink handshake(String relayWsUrl, Identity me) throws Exception {
        RawLink l = new RawLink(relayWsUrl);
        l.send(hello(me, nonce()));
        JsonNode theirHello = l.next("hello");
        l.next("proof");
        l.send(proof(me, theirHello));
        l.next("health");
        return l;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
