package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.id;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the relay writes: messages of any size arrive whole, and a client that stops reading is let go. */
class WebSocketWritesTest {
    static final String TORRENT = id("writes");

    private static String announceWithOffer(String peer, String offerId, String sdp) {
        return "{\"action\":\"announce\",\"info_hash\":\"" + TORRENT + "\",\"peer_id\":\"" + peer
                + "\",\"numwant\":1,\"left\":5,\"offers\":[{\"offer_id\":\"" + offerId
                + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}}]}";
    }

    @Test
    void aForwardedOfferLargerThanTheWriteBufferArrivesWhole() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxFrameBytes", 400_000, "maxSdpBytes", 300_000));
             RawWebSocket seeder = new RawWebSocket(relay.ws() + "announce");
             RawWebSocket leecher = new RawWebSocket(relay.ws() + "announce")) {
            seeder.sendText(WebSocketBytesTest.bytes(announce(TORRENT, id("seeder"), 0, "started").toString()));
            seeder.next();
            // 200 KB of SDP: more than the 64 KB the relay writes at once, and an 8-byte frame length.
            StringBuilder sdp = new StringBuilder();
            for (int i = 0; sdp.length() < 200_000; i++) {
                sdp.append("a=candidate:").append(i).append(" 1 udp 2122260223 127.0.0.1 ").append(40000 + i % 20000).append(" typ host\\r\\n");
            }
            leecher.sendText(announceWithOffer(id("leecher"), id("o1"), sdp.toString()).getBytes(StandardCharsets.UTF_8));
            assertThat(leecher.next().text()).contains("\"action\":\"announce\"");

            RawWebSocket.Frame offer = seeder.next();
            assertThat(offer.payload().length).isGreaterThan(200_000);
            assertThat(offer.text()).contains("\"sdp\":\"" + sdp + "\"").endsWith("\"}");
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWith4000AndOthersCarryOn() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxQueuedBytesPerConnection", 64 * 1024,
                "maxSdpBytes", 16 * 1024, "messagesPerSecond", 10_000, "messageBurst", 10_000));
             RawWebSocket slow = new RawWebSocket(relay.ws() + "announce", 4096);
             RawWebSocket sender = new RawWebSocket(relay.ws() + "announce")) {
            slow.sendText(WebSocketBytesTest.bytes(announce(TORRENT, id("slow"), 0, "started").toString()));
            // The slow client reads nothing from here on; the sender offers it 16 KB at a time.
            String sdp = "x".repeat(16_000);
            boolean closed = false;
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int i = 0; !closed && System.nanoTime() < deadline; i++) {
                sender.sendText(announceWithOffer(id("sender"), id("o" + i), sdp).getBytes(StandardCharsets.UTF_8));
                assertThat(sender.next().text()).contains("\"action\":\"announce\"");
                closed = relay.statsJson().path("connections").asInt() == 1;
            }
            assertThat(closed).as("the slow client's connection was dropped").isTrue();
            // The sender carries on, alone in the torrent now.
            sender.sendText(announceWithOffer(id("sender"), id("last"), "v=0").getBytes(StandardCharsets.UTF_8));
            assertThat(sender.next().text()).contains("\"incomplete\":1");
            // What the slow client gets when it reads at last: the offers that fitted, then 4000 (or,
            // if it read too late, the end of the connection).
            int code = 0;
            try {
                code = slow.awaitClose();
            } catch (java.io.EOFException tooLate) {
                code = -1;
            }
            assertThat(code).isIn(4000, -1);
        }
    }
}
