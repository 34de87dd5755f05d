package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.id;
import static org.btrelay.web.WsClient.withOffers;

import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.Type;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP tracker over real sockets, its replies decoded by an independent bencode parser. */
class HttpTrackerOverSocketsTest {
    // ISO-8859-1 keeps dictionary keys (raw info_hashes) byte for byte.
    static final Bencode BENCODE = new Bencode(StandardCharsets.ISO_8859_1, true);
    static final byte[] INFO_HASH = new byte[20];

    static {
        for (int i = 0; i < 20; i++) {
            INFO_HASH[i] = (byte) (0xF0 + i); // high bytes: must survive percent-decoding as raw bytes
        }
    }

    static String pct(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%%%02X", x & 0xFF));
        }
        return b.toString();
    }

    static String peerId(String label) {
        return pct(id(label).getBytes(StandardCharsets.ISO_8859_1));
    }

    Map<String, Object> get(RelayFixture relay, String path) throws Exception {
        HttpResponse<byte[]> r = relay.get(path);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        return BENCODE.decode(r.body(), Type.DICTIONARY);
    }

    /** A request no URI class would send: the escapes are malformed. */
    static String rawGet(RelayFixture relay, String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", relay.node.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static String text(Object bencoded) {
        return StandardCharsets.UTF_8.decode(((ByteBuffer) bencoded).duplicate()).toString();
    }

    @Test
    void announceReturnsCompactPeersAndCounts() throws Exception {
        try (RelayFixture relay = new RelayFixture()) {
            get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("a") + "&port=6881&left=0&event=started");
            Map<String, Object> r = get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("b")
                    + "&port=51413&left=1000&event=started&compact=1");
            assertThat(r.get("complete")).isEqualTo(1L);
            assertThat(r.get("incomplete")).isEqualTo(1L);
            assertThat(r.get("interval")).isEqualTo(120L);
            ByteBuffer peers = (ByteBuffer) r.get("peers");
            assertThat(peers.remaining()).isEqualTo(6);
            byte[] p = new byte[6];
            peers.duplicate().get(p);
            assertThat(p).containsExactly(127, 0, 0, 1, 6881 >> 8, (byte) (6881 & 0xFF));
            assertThat(((ByteBuffer) r.get("peers6")).remaining()).isZero();
        }
    }

    @Test
    void nonCompactAnnounceListsDictionaries() throws Exception {
        try (RelayFixture relay = new RelayFixture()) {
            get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("a") + "&port=6881&left=0");
            Map<String, Object> r = get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("b")
                    + "&port=6882&left=5&compact=0");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> peers = (List<Map<String, Object>>) r.get("peers");
            assertThat(peers).hasSize(1);
            assertThat(text(peers.get(0).get("ip"))).isEqualTo("127.0.0.1");
            assertThat(peers.get(0).get("port")).isEqualTo(6881L);
            ByteBuffer pid = (ByteBuffer) peers.get(0).get("peer id");
            byte[] raw = new byte[pid.remaining()];
            pid.duplicate().get(raw);
            assertThat(raw).isEqualTo(id("a").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void errorsAreBencodedFailureReasons() throws Exception {
        try (RelayFixture relay = new RelayFixture()) {
            assertThat(text(get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("a"))
                    .get("failure reason"))).isEqualTo("missing port");
            assertThat(text(get(relay, "/announce?info_hash=%01%02&peer_id=" + peerId("a") + "&port=1")
                    .get("failure reason"))).isEqualTo("invalid info_hash");
            // Undertow refuses malformed escapes itself, before the tracker sees them.
            assertThat(rawGet(relay, "/announce?info_hash=%zz&peer_id=%")).startsWith("HTTP/1.1 400");
            // The server is still fine.
            assertThat(get(relay, "/scrape").get("files")).isNotNull();
        }
    }

    @Test
    void scrapeCountsHttpAndWebSocketPeersTogether() throws Exception {
        try (RelayFixture relay = new RelayFixture(); WsClient ws = new WsClient(relay.ws())) {
            String latin1 = new String(INFO_HASH, StandardCharsets.ISO_8859_1);
            ws.send(announce(latin1, id("ws-peer"), 0, "started"));
            ws.next();
            get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("http-peer") + "&port=6881&left=9");

            Map<String, Object> scrape = get(relay, "/scrape?info_hash=" + pct(INFO_HASH));
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> files = (Map<String, Map<String, Object>>) scrape.get("files");
            assertThat(files).hasSize(1);
            Map<String, Object> counts = files.values().iterator().next();
            assertThat(counts.get("complete")).isEqualTo(1L);
            assertThat(counts.get("incomplete")).isEqualTo(1L);
            assertThat(counts.get("downloaded")).isEqualTo(0L);
            // The key is the raw 20-byte info_hash.
            assertThat(files.keySet().iterator().next().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(INFO_HASH);
        }
    }

    @Test
    void offersGoOnlyToWebSocketPeersAndHttpPeersGetOnlyAddresses() throws Exception {
        try (RelayFixture relay = new RelayFixture();
             WsClient a = new WsClient(relay.ws());
             WsClient b = new WsClient(relay.ws())) {
            String latin1 = new String(INFO_HASH, StandardCharsets.ISO_8859_1);
            get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("http-1") + "&port=6881&left=0");
            get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("http-2") + "&port=6882&left=0");
            a.send(announce(latin1, id("a"), 0, "started"));
            a.next();
            b.send(withOffers(announce(latin1, id("b"), 10, "started"), id("o1"), id("o2"), id("o3")));
            assertThat(b.next().path("complete").asInt()).isEqualTo(3);
            assertThat(a.next().path("offer_id").asText()).isEqualTo(id("o1"));
            assertThat(a.poll(200)).isNull();

            Map<String, Object> r = get(relay, "/announce?info_hash=" + pct(INFO_HASH) + "&peer_id=" + peerId("http-3")
                    + "&port=6883&left=1");
            assertThat(((ByteBuffer) r.get("peers")).remaining()).as("two HTTP peers, no WebSocket ones").isEqualTo(12);
        }
    }
}
