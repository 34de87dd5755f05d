package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.answer;
import static org.btrelay.web.WsClient.id;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Messages are read and written as UTF-8 bytes: the bounds count bytes, and text arrives exactly. */
class WebSocketBytesTest {
    static final String TORRENT = id("bytes");
    /** Two-, three- and four-byte UTF-8, a JSON escape and a character JavaScript treats as a line break. */
    static final String MIXED = "é€😀 \\\" \u2028 a=ice-ufrag:x";

    @Test
    void textThatIsNotUtf8IsClosedWith1007AndOthersCarryOn() throws Exception {
        try (RelayFixture relay = new RelayFixture();
             RawWebSocket bad = new RawWebSocket(relay.ws() + "announce");
             WsClient other = new WsClient(relay.ws() + "announce")) {
            byte[] text = "{\"action\":\"scrape\",\"pad\":\"..\"}".getBytes(StandardCharsets.US_ASCII);
            text[text.length - 4] = (byte) 0xC3;   // a lead byte
            text[text.length - 3] = (byte) 0x28;   // that no continuation byte follows
            bad.sendText(text);

            assertThat(bad.awaitClose()).isEqualTo(1007);
            other.send(announce(TORRENT, id("other"), 0, "started"));
            assertThat(other.next().path("complete").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aMessageThatArrivesInPartsIsServed() throws Exception {
        try (RelayFixture relay = new RelayFixture();
             RawWebSocket c = new RawWebSocket(relay.ws() + "announce")) {
            ObjectNode msg = announce(TORRENT, id("parts"), 0, "started").put("pad", "x".repeat(3000) + MIXED);
            byte[] text = msg.toString().getBytes(StandardCharsets.UTF_8);

            // Split inside the frame header (8 bytes here), inside the payload, inside a 4-byte character.
            int emoji = new String(text, StandardCharsets.UTF_8).indexOf("😀");
            int emojiByte = new String(text, StandardCharsets.UTF_8).substring(0, emoji).getBytes(StandardCharsets.UTF_8).length;
            for (int split : new int[] {3, 1000, 8 + emojiByte + 2}) {
                c.sendText(text, split, 100);
                RawWebSocket.Frame reply = c.next();
                assertThat(reply.opcode()).isEqualTo(RawWebSocket.TEXT);
                JsonNode n = WsClient.JSON.readTree(reply.text());
                assertThat(n.path("action").asText()).isEqualTo("announce");
                assertThat(n.path("complete").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void aMessageSentInSeveralWebSocketFramesIsServedWhole() throws Exception {
        try (RelayFixture relay = new RelayFixture();
             RawWebSocket c = new RawWebSocket(relay.ws() + "announce")) {
            byte[] text = announce(TORRENT, id("fragments"), 0, "started").put("pad", MIXED).toString()
                    .getBytes(StandardCharsets.UTF_8);
            int emojiByte = indexOfBytes(text, "😀".getBytes(StandardCharsets.UTF_8));

            // Three frames, one cut inside the 4-byte character.
            c.sendFragmentedText(text, 10, emojiByte + 1);
            JsonNode n = WsClient.JSON.readTree(c.next().text());
            assertThat(n.path("action").asText()).isEqualTo("announce");
            assertThat(n.path("complete").asInt()).isEqualTo(1);
            assertThat(n.has("failure reason")).isFalse();
        }
    }

    private static int indexOfBytes(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void theMessageLimitCountsBytesNotCharacters() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxFrameBytes", 4096));
             WsClient fits = new WsClient(relay.ws() + "announce");
             WsClient over = new WsClient(relay.ws() + "announce")) {
            // 1,500 characters, 3,000 bytes: within the limit.
            fits.sendText("{\"action\":\"scrape\",\"pad\":\"" + "é".repeat(1500) + "\"}");
            assertThat(fits.next().path("action").asText()).isEqualTo("scrape");

            // 1,400 characters, 4,200 bytes: over it.
            over.sendText("{\"action\":\"scrape\",\"pad\":\"" + "€".repeat(1400) + "\"}");
            assertThat(over.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void offersAndAnswersArriveByteForByteAsTheySentThem() throws Exception {
        try (RelayFixture relay = new RelayFixture();
             RawWebSocket seeder = new RawWebSocket(relay.ws() + "announce");
             RawWebSocket leecher = new RawWebSocket(relay.ws() + "announce")) {
            seeder.sendText(bytes(announce(TORRENT, id("seeder"), 0, "started").toString()));
            seeder.next();

            // Written by hand: spaces inside the objects and escapes stay as the sender wrote them.
            String offer = "{ \"type\": \"offer\", \"sdp\": \"v=0\\r\\n" + MIXED + "\" }";
            String announce = "{\"action\":\"announce\",\"info_hash\":\"" + TORRENT + "\",\"peer_id\":\"" + id("leecher")
                    + "\",\"numwant\":1,\"left\":5,\"event\":\"started\",\"offers\":[{\"offer_id\":\"" + id("o1")
                    + "\",\"offer\":" + offer + "}]}";
            leecher.sendText(bytes(announce));
            leecher.next();

            String forwarded = seeder.next().text();
            assertThat(forwarded).contains("\"offer\":" + offer + ",");

            ObjectNode answerMsg = answer(TORRENT, id("seeder"), id("leecher"), id("o1"));
            String answerObject = "{\"type\":\"answer\",\"sdp\":\"" + MIXED + "\"}";
            String answerText = answerMsg.toString().replaceFirst("\"answer\":\\{[^}]*\\}", "\"answer\":"
                    + java.util.regex.Matcher.quoteReplacement(answerObject));
            assertThat(answerText).contains(answerObject);
            seeder.sendText(bytes(answerText));

            assertThat(leecher.next().text()).contains("\"answer\":" + answerObject + ",");
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
