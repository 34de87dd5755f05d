package org.btrelay.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.btrelay.web.JsonListener;

/** A hand-driven relay link for tests: speaks (or mis-speaks) the protocol to a real relay. */
final class RawLink implements AutoCloseable {
    final BlockingQueue<JsonNode> received;
    final CompletableFuture<Integer> closeCode;
    final WebSocket ws;

    RawLink(String relayWsUrl) {
        JsonListener listener = new JsonListener();
        this.received = listener.received;
        this.closeCode = listener.closeCode;
        ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(relayWsUrl + "relay"), listener)
                .join();
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
