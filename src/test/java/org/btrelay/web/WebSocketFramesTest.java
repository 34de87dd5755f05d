package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.RawWebSocket.BINARY;
import static org.btrelay.web.RawWebSocket.CLOSE;
import static org.btrelay.web.RawWebSocket.CONTINUATION;
import static org.btrelay.web.RawWebSocket.PING;
import static org.btrelay.web.RawWebSocket.PONG;
import static org.btrelay.web.RawWebSocket.TEXT;
import static org.btrelay.web.RawWebSocket.frame;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.id;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 on the tracker's WebSockets, frame by frame: fragmentation with control frames in
 * between, ping/pong, the close handshake, and every rule a client's frames must keep (masking,
 * reserved bits, opcodes, control frame sizes, close codes, UTF-8, the message bound).
 */
class WebSocketFramesTest {
    static final String TORRENT = id("frames");
    private RelayFixture relay;

    @BeforeEach
    void start() throws Exception {
        relay = new RelayFixture(RelayFixture.limits("maxFrameBytes", 4096));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private RawWebSocket connect() throws Exception {
        return new RawWebSocket(relay.ws() + "announce");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] scrape(String pad) {
        return utf8("{\"action\":\"scrape\",\"info_hash\":[],\"pad\":\"" + pad + "\"}");
    }

    private static JsonNode json(RawWebSocket.Frame f) throws Exception {
        assertThat(f.opcode()).isEqualTo(TEXT);
        return WsClient.JSON.readTree(f.text());
    }

    /** The server's close code, and that it then ends the connection. */
    private static int closeCodeAndEnd(RawWebSocket c) throws Exception {
        int code = c.awaitClose();
        assertThat(c.atEnd()).as("the server ends the connection after its close frame").isTrue();
        return code;
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        try (RawWebSocket c = connect()) {
            c.sendFrame(0x80 | PING, true, utf8("are you there"));
            RawWebSocket.Frame pong = c.next();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("are you there");
        }
    }

    @Test
    void controlFramesBetweenFragmentsLeaveTheMessageWhole() throws Exception {
        try (RawWebSocket c = connect()) {
            byte[] text = announce(TORRENT, id("fragments"), 0, "started").put("pad", "ab€cd").toString()
                    .getBytes(StandardCharsets.UTF_8);
            int cut = text.length / 2;
            c.sendTogether(
                    frame(false, TEXT, Arrays.copyOfRange(text, 0, cut)),
                    frame(0x80 | PING, true, utf8("1")),
                    frame(0x80 | PONG, true, utf8("unasked")),
                    frame(true, CONTINUATION, Arrays.copyOfRange(text, cut, text.length)));
            assertThat(c.next().opcode()).isEqualTo(PONG);
            JsonNode reply = json(c.next());
            assertThat(reply.path("action").asText()).isEqualTo("announce");
            assertThat(reply.path("complete").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aBinaryMessageInFragmentsIsServedLikeText() throws Exception {
        try (RawWebSocket c = connect()) {
            byte[] text = scrape("x");
            c.sendFrame(BINARY, true, Arrays.copyOfRange(text, 0, 5));
            c.sendFrame(0x80 | CONTINUATION, true, Arrays.copyOfRange(text, 5, text.length));
            assertThat(json(c.next()).path("action").asText()).isEqualTo("scrape");
        }
    }

    @Test
    void manyMessagesInOneWriteAreServedInOrder() throws Exception {
        try (RawWebSocket c = connect()) {
            List<byte[]> frames = new ArrayList<>();
            // Every length around the 8-byte words the frames are unmasked in.
            for (int pad = 0; pad < 40; pad++) {
                frames.add(frame(true, TEXT, utf8("{\"action\":\"scrape\",\"info_hash\":\"" + id("t" + pad) + "\",\"pad\":\""
                        + "é".repeat(pad % 3) + "x".repeat(pad) + "\"}")));
            }
            c.sendTogether(frames.toArray(new byte[0][]));
            for (int pad = 0; pad < 40; pad++) {
                JsonNode reply = json(c.next());
                assertThat(reply.path("action").asText()).isEqualTo("scrape");
                assertThat(reply.path("files").has(id("t" + pad))).as("reply %d in order", pad).isTrue();
            }
        }
    }

    @Test
    void aCloseFromTheClientIsAnsweredWithItsCodeAndTheConnectionEnds() throws Exception {
        try (RawWebSocket c = connect()) {
            c.sendFrame(0x80 | CLOSE, true, RawWebSocket.closePayload(1000, utf8("bye")));
            assertThat(closeCodeAndEnd(c)).isEqualTo(1000);
        }
        try (RawWebSocket c = connect()) {
            c.sendFrame(0x80 | CLOSE, true, new byte[0]);
            assertThat(closeCodeAndEnd(c)).as("no code in, none out").isEqualTo(1005);
        }
    }

    @Test
    void frameRulesBrokenByTheClientCloseItWith1002() throws Exception {
        byte[][] broken = {
            frame(0x80 | TEXT, false, scrape("unmasked")),                  // a client must mask
            frame(0x80 | 0x40 | TEXT, true, scrape("rsv1")),               // no extension was agreed
            frame(0x80 | 0x03, true, scrape("opcode 3")),                  // reserved data opcode
            frame(0x80 | 0x0B, true, new byte[0]),                          // reserved control opcode
            frame(PING, true, utf8("not final")),                           // control frames are never fragmented
            frame(0x80 | PING, true, new byte[126]),                        // at most 125 bytes
            frame(true, CONTINUATION, scrape("no start")),                  // continuation of nothing
            frame(0x80 | CLOSE, true, new byte[] {3}),                      // a one-byte close payload
            frame(0x80 | CLOSE, true, RawWebSocket.closePayload(1005, new byte[0])), // a code no one may send
            frame(0x80 | CLOSE, true, RawWebSocket.closePayload(999, new byte[0])),
        };
        for (byte[] f : broken) {
            try (RawWebSocket c = connect()) {
                c.sendTogether(f);
                assertThat(closeCodeAndEnd(c)).as("frame starting %02x %02x", f[0], f[1]).isEqualTo(1002);
            }
        }
        try (RawWebSocket c = connect()) {
            c.sendTogether(frame(false, TEXT, utf8("{")), frame(true, TEXT, scrape("")));
            assertThat(closeCodeAndEnd(c)).as("a new message inside a fragmented one").isEqualTo(1002);
        }
    }

    @Test
    void textThatIsNotUtf8IsClosedWith1007WhereverItIs() throws Exception {
        byte[][][] cases = {
            {frame(true, TEXT, new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'})},             // overlong '/'
            {frame(true, TEXT, new byte[] {'{', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '}'})}, // a surrogate
            {frame(true, TEXT, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})}, // above U+10FFFF
            {frame(false, TEXT, utf8("{\"a\":\"")), frame(true, CONTINUATION, new byte[] {(byte) 0xE2, (byte) 0x82})}, // cut short
            {frame(0x80 | CLOSE, true, RawWebSocket.closePayload(1000, new byte[] {(byte) 0xFF}))}, // the close reason
        };
        for (byte[][] frames : cases) {
            try (RawWebSocket c = connect()) {
                c.sendTogether(frames);
                assertThat(closeCodeAndEnd(c)).isEqualTo(1007);
            }
        }
    }

    @Test
    void aMessageInFragmentsIsBoundedAsAWhole() throws Exception {
        try (RawWebSocket c = connect()) {
            byte[] part = new byte[3000];
            Arrays.fill(part, (byte) 'x');
            c.sendFrame(TEXT, true, part);
            c.sendFrame(CONTINUATION, true, part); // 6,000 bytes: over the 4,096 of this relay
            assertThat(closeCodeAndEnd(c)).isEqualTo(1009);
        }
    }

    @Test
    void aMessageTooBigIsRefusedFromItsHeaderAlone() throws Exception {
        try (RawWebSocket c = connect()) {
            // The header of a 1 MB frame, and none of its payload.
            c.sendTogether(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4});
            assertThat(closeCodeAndEnd(c)).isEqualTo(1009);
        }
    }

    @Test
    void aClosingServerSendsNothingAfterItsCloseFrame() throws Exception {
        try (RawWebSocket c = connect()) {
            // A protocol error while replies are still due: the replies, then the close, then the end.
            c.sendTogether(frame(true, TEXT, scrape("a")), frame(true, TEXT, scrape("b")), frame(0x80 | 0x03, true, new byte[0]),
                    frame(true, TEXT, scrape("after")));
            List<Integer> opcodes = new ArrayList<>();
            RawWebSocket.Frame f;
            do {
                f = c.next();
                opcodes.add(f.opcode());
            } while (f.opcode() != CLOSE);
            assertThat(opcodes).containsExactly(TEXT, TEXT, CLOSE);
            assertThat(f.closeCode()).isEqualTo(1002);
            assertThat(c.atEnd()).isTrue();
        }
    }
}
