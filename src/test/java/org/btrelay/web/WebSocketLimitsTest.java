package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.id;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Floods, oversize and undecodable frames are contained: the offender is closed, others carry on. */
class WebSocketLimitsTest {
    static final String TORRENT = id("limits");

    @Test
    void oversizeMessageIsClosedWith1009AndOthersCarryOn() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxFrameBytes", 4096));
             WsClient big = new WsClient(relay.ws());
             WsClient other = new WsClient(relay.ws())) {
            big.sendText("{\"action\":\"scrape\",\"pad\":\"" + "x".repeat(10_000) + "\"}");
            assertThat(big.awaitClose()).isEqualTo(1009);

            other.send(announce(TORRENT, id("other"), 0, "started"));
            assertThat(other.next().path("complete").asInt()).isEqualTo(1);
        }
    }

    @Test
    void trackerMessageInABinaryFrameIsServedLikeText() throws Exception {
        try (RelayFixture relay = new RelayFixture(); WsClient c = new WsClient(relay.ws())) {
            byte[] json = announce(TORRENT, id("binary"), 0, "started").toString().getBytes(StandardCharsets.UTF_8);
            c.ws.sendBinary(ByteBuffer.wrap(json), true).join();
            JsonNode reply = c.next();
            assertThat(reply.path("action").asText()).isEqualTo("announce");
            assertThat(reply.path("complete").asInt()).isEqualTo(1);

            c.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
            assertThat(c.next().path("failure reason").asText()).isEqualTo("malformed JSON");
        }
    }

    @Test
    void binaryMessageThatIsNotUtf8IsClosedWith1007() throws Exception {
        try (RelayFixture relay = new RelayFixture(); WsClient c = new WsClient(relay.ws())) {
            byte[] bad = "{\"action\":\"scrape\",\"pad\":\"..\"}".getBytes(StandardCharsets.US_ASCII);
            bad[bad.length - 4] = (byte) 0xC3;
            bad[bad.length - 3] = (byte) 0x28;
            c.ws.sendBinary(ByteBuffer.wrap(bad), true).join();
            assertThat(c.awaitClose()).isEqualTo(1007);
        }
    }

    @Test
    void oversizeBinaryMessageIsClosedWith1009() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxFrameBytes", 4096));
             WsClient c = new WsClient(relay.ws())) {
            byte[] big = ("{\"action\":\"scrape\",\"pad\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
            c.ws.sendBinary(ByteBuffer.wrap(big), true).join();
            assertThat(c.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void floodIsClosedWith1008AndItsPeersLeave() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("messagesPerSecond", 5, "messageBurst", 10));
             WsClient flood = new WsClient(relay.ws());
             WsClient calm = new WsClient(relay.ws())) {
            calm.send(announce(TORRENT, id("calm"), 0, "started"));
            calm.next();
            flood.send(announce(TORRENT, id("flood"), 5, "started"));
            for (int i = 0; i < 100; i++) {
                if (flood.ws.isOutputClosed()) {
                    break;
                }
                try {
                    flood.sendText("{\"action\":\"scrape\",\"info_hash\":[]}");
                } catch (Exception closedMeanwhile) {
                    break;
                }
            }
            assertThat(flood.awaitClose()).isEqualTo(1008);
            calm.send(JsonMessages.scrape(TORRENT));
            long deadline = System.nanoTime() + 5_000_000_000L;
            int incomplete;
            do {
                calm.send(JsonMessages.scrape(TORRENT));
                incomplete = calm.next().path("files").path(TORRENT).path("incomplete").asInt();
                while (calm.poll(10) != null) {
                    // drain the extra reply
                }
            } while (incomplete != 0 && System.nanoTime() < deadline);
            assertThat(incomplete).as("the flooder's peer left with its connection").isZero();
        }
    }

    @Test
    void connectionsPerIpAreCappedWith1013() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxConnectionsPerIp", 2));
             WsClient one = new WsClient(relay.ws());
             WsClient two = new WsClient(relay.ws());
             WsClient three = new WsClient(relay.ws())) {
            assertThat(three.next().path("failure reason").asText()).contains("too many connections");
            assertThat(three.awaitClose()).isEqualTo(1013);
            one.send(announce(TORRENT, id("one"), 0, "started"));
            assertThat(one.next().path("complete").asInt()).isEqualTo(1);
            assertThat(relay.statsJson().path("connections").asInt()).isEqualTo(2);
        }
    }

    @Test
    void tooManyTorrentsOnOneConnectionAreRefused() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxSwarmsPerConnection", 3));
             WsClient c = new WsClient(relay.ws())) {
            for (int i = 0; i < 3; i++) {
                c.send(announce(id("t" + i), id("p"), 0, "started"));
                assertThat(c.next().has("failure reason")).isFalse();
            }
            c.send(announce(id("t3"), id("p"), 0, "started"));
            var refused = c.next();
            assertThat(refused.path("failure reason").asText()).contains("too many torrents");
            assertThat(refused.path("info_hash").asText()).isEqualTo(id("t3"));
            assertThat(relay.statsJson().path("peers").asInt()).as("entries: one per torrent").isEqualTo(3);
            assertThat(relay.statsJson().path("peersAll").asInt()).as("one peer_id").isEqualTo(1);
        }
    }
}
