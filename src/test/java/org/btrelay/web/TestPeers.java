package org.btrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Browser-like peers held open on one WebSocket, for tests outside this package. */
public final class TestPeers implements AutoCloseable {
    private final WsClient client;

    private TestPeers(WsClient client) {
        this.client = client;
    }

    /** Announces {@code n} seeders (one per torrent) on one connection and waits for the replies. */
    public static TestPeers announce(String wsUrl, int n) throws InterruptedException {
        WsClient c = new WsClient(wsUrl);
        for (int i = 0; i < n; i++) {
            c.send(WsClient.announce(WsClient.id("torrent-" + i), WsClient.id("peer"), 0, "started"));
        }
        for (int i = 0; i < n; i++) {
            JsonNode reply = c.next();
            if (reply.has("failure reason")) {
                throw new IllegalStateException("announce refused: " + reply.path("failure reason").asText());
            }
        }
        return new TestPeers(c);
    }

    /** A connection that announces nothing (it still counts against the relay's capacity). */
    public static TestPeers idle(String wsUrl) {
        return new TestPeers(new WsClient(wsUrl));
    }

    /** Announces the first torrent again (an update) and returns the reply's fields. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> reannounce() throws InterruptedException {
        client.send(WsClient.announce(WsClient.id("torrent-0"), WsClient.id("peer"), 0, null));
        return WsClient.JSON.convertValue(client.next(), Map.class);
    }

    /** A new connection whose first announce is refused. */
    public record Refused(WsClient client, String reason) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    public static Refused announceExpectingFailure(String wsUrl) throws InterruptedException {
        WsClient c = new WsClient(wsUrl);
        c.send(WsClient.announce(WsClient.id("torrent-new"), WsClient.id("newcomer"), 10, "started"));
        JsonNode reply = c.next();
        return new Refused(c, reply.path("failure reason").asText(null));
    }

    @Override
    public void close() {
        client.close();
    }
}
