package org.btrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A raw WebSocket tracker client for tests: sends JSON, queues every message it receives. */
final class WsClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<JsonNode> received;
    final CompletableFuture<Integer> closeCode;
    final WebSocket ws;

    WsClient(String url) {
        JsonListener listener = new JsonListener();
        this.received = listener.received;
        this.closeCode = listener.closeCode;
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), listener).join();
    }

    void send(ObjectNode message) {
        sendText(message.toString());
    }

    void sendText(String text) {
        ws.sendText(text, true).join();
    }

    JsonNode next() throws InterruptedException {
        JsonNode n = received.poll(5, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("no message within 5 s");
        }
        return n;
    }

    /** Nothing arrives within a short wait. */
    JsonNode poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    int awaitClose() throws Exception {
        return closeCode.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
    }

    // ------------------------------------------------------------ message builders

    /** A 20-character Latin-1 id made from a label, padded; distinct labels give distinct ids. */
    static String id(String label) {
        StringBuilder b = new StringBuilder(label);
        char fill = (char) (0xC0 + (label.hashCode() & 0x3F));
        while (b.length() < 20) {
            b.append(fill);
        }
        return b.substring(0, 20);
    }

    static ObjectNode announce(String infoHash, String peerId, long left, String event) {
        ObjectNode o = JSON.createObjectNode();
        o.put("action", "announce");
        o.put("info_hash", infoHash);
        o.put("peer_id", peerId);
        o.put("numwant", 5);
        o.put("uploaded", 0);
        o.put("downloaded", 0);
        o.put("left", left);
        if (event != null) {
            o.put("event", event);
        }
        return o;
    }

    static ObjectNode withOffers(ObjectNode announce, String... offerIds) {
        var arr = announce.putArray("offers");
        for (String offerId : offerIds) {
            ObjectNode offer = arr.addObject();
            offer.putObject("offer").put("type", "offer").put("sdp", "v=0\r\no=- " + offerId.hashCode() + " 2 IN IP4 127.0.0.1\r\n");
            offer.put("offer_id", offerId);
        }
        return announce;
    }

    static ObjectNode answer(String infoHash, String peerId, String toPeerId, String offerId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("action", "announce");
        o.put("info_hash", infoHash);
        o.put("peer_id", peerId);
        o.put("to_peer_id", toPeerId);
        o.put("offer_id", offerId);
        o.putObject("answer").put("type", "answer").put("sdp", "v=0\r\nanswer\r\n");
        return o;
    }
}
