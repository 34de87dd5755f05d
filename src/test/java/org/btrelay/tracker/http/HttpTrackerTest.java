package org.btrelay.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dampcake.bencode.Type;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.Tracker;
import org.btrelay.tracker.TrackerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP announce and scrape paths against a real {@link Tracker}, their bencoded replies read by
 * an independent decoder.
 */
class HttpTrackerTest {
    /** Byte strings as ByteBuffers; ISO-8859-1 keeps raw info_hash keys byte for byte. */
    static final com.dampcake.bencode.Bencode BENCODE =
            new com.dampcake.bencode.Bencode(StandardCharsets.ISO_8859_1, true);
    static final int MAX_NUMWANT = Limits.DEFAULTS.maxNumWant();
    static final int MAX_SCRAPE = Limits.DEFAULTS.maxScrapeHashes();

    final Tracker tracker = new Tracker(TrackerConfig.defaults());
    final HttpTracker http = new HttpTracker(tracker);

    /** 20 bytes from {@code first} on, wrapping: high and control bytes included. */
    static byte[] id(int first) {
        byte[] b = new byte[20];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    /** A peer id unique for {@code n} in 0..65535. */
    static byte[] peer(int n) {
        byte[] b = id(0x30);
        b[18] = (byte) (n >> 8);
        b[19] = (byte) n;
        return b;
    }

    static String pct(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%%%02X", x & 0xFF));
        }
        return b.toString();
    }

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    static InetAddress ipv4(int n) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    }

    static Query query(String raw) {
        return Query.parse(raw, 1000);
    }

    static String announceQuery(byte[] infoHash, byte[] peerId, int port, String extra) {
        return "info_hash=" + pct(infoHash) + "&peer_id=" + pct(peerId) + "&port=" + port
                + "&uploaded=0&downloaded=0" + (extra.isEmpty() ? "" : "&" + extra);
    }

    Map<String, Object> announce(byte[] infoHash, byte[] peerId, InetAddress from, int port, String extra) {
        return decode(http.announce(query(announceQuery(infoHash, peerId, port, extra)), from));
    }

    static Map<String, Object> decode(byte[] bencoded) {
        return BENCODE.decode(bencoded, Type.DICTIONARY);
    }

    static byte[] bytes(Object byteString) {
        ByteBuffer b = ((ByteBuffer) byteString).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static String text(Object byteString) {
        return new String(bytes(byteString), StandardCharsets.UTF_8);
    }

    /** "ip:port" of each entry of a compact peer string of {@code width} bytes per peer. */
    static Set<String> compactPeers(byte[] compact, int width) throws Exception {
        assertThat(compact.length % width).isZero();
        Set<String> out = new HashSet<>();
        for (int at = 0; at < compact.length; at += width) {
            byte[] addr = java.util.Arrays.copyOfRange(compact, at, at + width - 2);
            int port = (compact[at + width - 2] & 0xFF) << 8 | compact[at + width - 1] & 0xFF;
            out.add(InetAddress.getByAddress(addr).getHostAddress() + ":" + port);
        }
        return out;
    }

    // ------------------------------------------------------------------ required parameters

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "peer_id={p}&port=6881                                 | missing info_hash",
        "info_hash={h}&port=6881                               | missing peer_id",
        "info_hash={h}&peer_id={p}                             | missing port",
        "info_hash={h}&peer_id={p}&port=                       | missing port",
        "info_hash={h}&peer_id={p}&port=0                      | invalid port",
        "info_hash={h}&peer_id={p}&port=65536                  | invalid port",
        "info_hash={h}&peer_id={p}&port=70000                  | invalid port",
        "info_hash={h}&peer_id={p}&port=-1                     | invalid port",
        "info_hash={h}&peer_id={p}&port=http                   | invalid port",
        "info_hash={h}&peer_id={p}&port=6881&event=begin       | invalid event",
        "info_hash={h}&peer_id={p}&port=6881&left=-5           | invalid left",
        "info_hash={h}&peer_id={p}&port=6881&numwant=lots      | invalid numwant",
        "info_hash={h}&peer_id={p}&port=6881&uploaded=-1       | invalid uploaded",
    })
    void badRequiredParameterIsRefusedWithAClearMessage(String template, String message) {
        String raw = template.replace("{h}", pct(id(0xE0))).replace("{p}", pct(peer(1)));

        assertThatThrownBy(() -> http.announce(query(raw), ip("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 19, 21, 40})
    void infoHashOrPeerIdOfAnyLengthButTwentyIsInvalid(int length) throws Exception {
        byte[] wrong = new byte[length];
        InetAddress from = ip("10.0.0.1");

        assertThatThrownBy(() -> http.announce(query(announceQuery(wrong, peer(1), 6881, "")), from))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid info_hash");
        assertThatThrownBy(() -> http.announce(query(announceQuery(id(0xE0), wrong, 6881, "")), from))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid peer_id");
    }

    @Test
    void portsAtTheEndsOfTheRangeAreAccepted() throws Exception {
        assertThat(announce(id(0xE0), peer(1), ip("10.0.0.1"), 1, "")).containsKey("peers");
        assertThat(announce(id(0xE0), peer(2), ip("10.0.0.2"), 65535, "")).containsKey("peers");
    }

    // ------------------------------------------------------------------ peers

    /** Two IPv4 peers and one IPv6 peer, then a fourth (IPv4) that asks. */
    Map<String, Object> swarmOfThreeThenAnnounce(String extra) throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "left=0");
        announce(id(0xE0), peer(2), ip("198.51.100.7"), 51413, "left=100");
        announce(id(0xE0), peer(3), ip("2001:db8::1"), 443, "");
        return announce(id(0xE0), peer(4), ip("203.0.113.9"), 6889, extra);
    }

    @Test
    void compactIsTheDefaultWithSixBytesPerIpv4PeerAndEighteenPerIpv6Peer() throws Exception {
        Map<String, Object> r = swarmOfThreeThenAnnounce("");

        byte[] v4 = bytes(r.get("peers"));
        byte[] v6 = bytes(r.get("peers6"));
        assertThat(v4).hasSize(12);
        assertThat(v6).hasSize(18);
        assertThat(compactPeers(v4, 6)).containsExactlyInAnyOrder("192.0.2.1:6881", "198.51.100.7:51413");
        assertThat(compactPeers(v6, 18)).containsExactly(ip("2001:db8::1").getHostAddress() + ":443");
    }

    @Test
    void compactOneGivesTheSameCompactPeers() throws Exception {
        Map<String, Object> r = swarmOfThreeThenAnnounce("compact=1");

        assertThat(compactPeers(bytes(r.get("peers")), 6))
                .containsExactlyInAnyOrder("192.0.2.1:6881", "198.51.100.7:51413");
        assertThat(compactPeers(bytes(r.get("peers6")), 18))
                .containsExactly(ip("2001:db8::1").getHostAddress() + ":443");
    }

    @Test
    void compactPortIsBigEndianAndHighPortsSurvive() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 0xFEDC, "");

        byte[] v4 = bytes(announce(id(0xE0), peer(2), ip("192.0.2.2"), 6881, "").get("peers"));

        assertThat(v4).containsExactly(192, 0, 2, 1, 0xFE, 0xDC);
    }

    @Test
    void compactWithNoOtherPeersHasEmptyPeerStrings() throws Exception {
        Map<String, Object> r = announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "");

        assertThat(bytes(r.get("peers"))).isEmpty();
        assertThat(bytes(r.get("peers6"))).isEmpty();
    }

    @Test
    void ipv4MappedIpv6SenderIsListedAsAnIpv4Peer() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 192;
        mapped[15] = 5;
        // What a dual-stack socket reports for an IPv4 client.
        InetAddress from = Inet6Address.getByAddress(null, mapped, -1);
        announce(id(0xE0), peer(1), from, 6881, "");

        Map<String, Object> r = announce(id(0xE0), peer(2), ip("192.0.2.2"), 6881, "");

        assertThat(compactPeers(bytes(r.get("peers")), 6)).containsExactly("192.0.0.5:6881");
        assertThat(bytes(r.get("peers6"))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void compactZeroListsDictionariesWithPeerIdIpAndPort() throws Exception {
        Map<String, Object> r = swarmOfThreeThenAnnounce("compact=0");

        assertThat(r).doesNotContainKey("peers6");
        List<Map<String, Object>> peers = (List<Map<String, Object>>) r.get("peers");
        assertThat(peers).hasSize(3);
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> p : peers) {
            assertThat(p.keySet()).containsExactly("ip", "peer id", "port"); // sorted keys
            byte[] peerId = bytes(p.get("peer id"));
            int n = peerId[19];
            assertThat(peerId).isEqualTo(peer(n));
            seen.add(n + "@" + ip(text(p.get("ip"))).getHostAddress() + ":" + p.get("port"));
        }
        assertThat(seen).containsExactlyInAnyOrder(
                "1@192.0.2.1:6881", "2@198.51.100.7:51413", "3@" + ip("2001:db8::1").getHostAddress() + ":443");
    }

    @Test
    @SuppressWarnings("unchecked")
    void noPeerIdOneOmitsThePeerId() throws Exception {
        Map<String, Object> r = swarmOfThreeThenAnnounce("compact=0&no_peer_id=1");

        List<Map<String, Object>> peers = (List<Map<String, Object>>) r.get("peers");
        assertThat(peers).hasSize(3);
        for (Map<String, Object> p : peers) {
            assertThat(p.keySet()).containsExactly("ip", "port");
        }
    }

    /** 300 peers from 300 addresses, ports 10000.. ; returns nothing. */
    void swarmOf300() throws Exception {
        for (int i = 0; i < 300; i++) {
            announce(id(0xE0), peer(i), ipv4(i), 10_000 + i, "");
        }
    }

    @Test
    void numwantDefaultsToFifty() throws Exception {
        swarmOf300();

        byte[] v4 = bytes(announce(id(0xE0), peer(1000), ipv4(1000), 6881, "").get("peers"));

        assertThat(v4).hasSize(6 * HttpTracker.DEFAULT_NUMWANT);
        assertThat(compactPeers(v4, 6)).hasSize(HttpTracker.DEFAULT_NUMWANT);
    }

    @Test
    void numwantAboveTheLimitIsCappedAtMaxNumWant() throws Exception {
        swarmOf300();

        byte[] v4 = bytes(announce(id(0xE0), peer(1000), ipv4(1000), 6881, "numwant=1000").get("peers"));

        assertThat(v4).hasSize(6 * MAX_NUMWANT);
        assertThat(compactPeers(v4, 6)).hasSize(MAX_NUMWANT); // all distinct
    }

    @Test
    void numwantBelowTheLimitIsHonoured() throws Exception {
        swarmOf300();

        assertThat(bytes(announce(id(0xE0), peer(1000), ipv4(1000), 6881, "numwant=7").get("peers"))).hasSize(42);
        assertThat(bytes(announce(id(0xE0), peer(1001), ipv4(1001), 6881, "numwant=0").get("peers"))).isEmpty();
    }

    @Test
    void aPeerIsNeverGivenItself() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "");
        announce(id(0xE0), peer(2), ip("192.0.2.2"), 6882, "");

        for (int i = 0; i < 50; i++) {
            assertThat(compactPeers(bytes(announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "numwant=200")
                    .get("peers")), 6)).containsExactly("192.0.2.2:6882");
            assertThat(compactPeers(bytes(announce(id(0xE0), peer(2), ip("192.0.2.2"), 6882, "numwant=200")
                    .get("peers")), 6)).containsExactly("192.0.2.1:6881");
        }
    }

    @Test
    void aPeerIsNeverGivenItselfInALargeSwarm() throws Exception {
        swarmOf300();

        for (int i = 0; i < 300; i += 7) {
            Set<String> got = compactPeers(bytes(announce(id(0xE0), peer(i), ipv4(i), 10_000 + i, "numwant=200")
                    .get("peers")), 6);
            assertThat(got).hasSize(MAX_NUMWANT).doesNotContain(ipv4(i).getHostAddress() + ":" + (10_000 + i));
        }
    }

    @Test
    void stoppedPeerIsNoLongerListed() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "");
        announce(id(0xE0), peer(2), ip("192.0.2.2"), 6882, "");

        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "event=stopped");

        assertThat(bytes(announce(id(0xE0), peer(2), ip("192.0.2.2"), 6882, "").get("peers"))).isEmpty();
    }

    // ------------------------------------------------------------------ counts and intervals

    @Test
    void countsAndIntervalsAreReported() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "left=0");
        announce(id(0xE0), peer(2), ip("192.0.2.2"), 6881, "left=0");
        announce(id(0xE0), peer(3), ip("192.0.2.3"), 6881, "left=10");
        announce(id(0xE0), peer(4), ip("192.0.2.4"), 6881, ""); // left unknown: a leecher

        Map<String, Object> r = announce(id(0xE0), peer(5), ip("192.0.2.5"), 6881, "left=99&event=started");

        int interval = tracker.config().intervalSeconds();
        assertThat(r).containsEntry("complete", 2L).containsEntry("incomplete", 3L)
                .containsEntry("interval", (long) interval).containsEntry("min interval", (long) interval / 2);
        assertThat(r.keySet()).containsExactly("complete", "incomplete", "interval", "min interval", "peers", "peers6");
    }

    @Test
    void completedEventMakesTheLeecherASeeder() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "left=10");

        Map<String, Object> r = announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "left=0&event=completed");

        assertThat(r).containsEntry("complete", 1L).containsEntry("incomplete", 0L);
    }

    // ------------------------------------------------------------------ refusal

    @Test
    void anotherAddressSpeakingForAPeerIdGetsABencodedFailure() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "");

        Map<String, Object> r = announce(id(0xE0), peer(1), ip("192.0.2.66"), 6881, "event=stopped");

        assertThat(r.keySet()).containsExactly("failure reason");
        assertThat(text(r.get("failure reason"))).isEqualTo("peer_id is in use by another connection");
        // The real peer is still there.
        assertThat(compactPeers(bytes(announce(id(0xE0), peer(2), ip("192.0.2.2"), 6881, "").get("peers")), 6))
                .containsExactly("192.0.2.1:6881");
    }

    @Test
    void failureBencodesTheReasonAlone() {
        byte[] out = HttpTracker.failure("invalid info_hash");

        assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("d14:failure reason17:invalid info_hashe");
        assertThat(text(decode(HttpTracker.failure("caf\u00e9 \u20ac")).get("failure reason")))
                .isEqualTo("caf\u00e9 \u20ac");
    }

    // ------------------------------------------------------------------ scrape

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> files(Map<String, Object> scrape) {
        return (Map<String, Map<String, Object>>) (Map<String, ?>) scrape.get("files");
    }

    static String key(byte[] infoHash) {
        return new String(infoHash, StandardCharsets.ISO_8859_1);
    }

    @Test
    void scrapeOfSeveralInfoHashesGivesEachItsCounts() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "left=0");
        announce(id(0xE0), peer(2), ip("192.0.2.2"), 6881, "left=5");
        announce(id(0x00), peer(3), ip("192.0.2.3"), 6881, "left=5");
        announce(id(0x00), peer(3), ip("192.0.2.3"), 6881, "left=0&event=completed");

        Map<String, Object> r = decode(http.scrape(query("info_hash=" + pct(id(0xE0)) + "&info_hash=" + pct(id(0x00)))));

        assertThat(files(r).keySet()).containsExactlyInAnyOrder(key(id(0xE0)), key(id(0x00)));
        assertThat(files(r).get(key(id(0xE0))))
                .isEqualTo(Map.of("complete", 1L, "incomplete", 1L, "downloaded", 0L));
        assertThat(files(r).get(key(id(0x00))))
                .isEqualTo(Map.of("complete", 1L, "incomplete", 0L, "downloaded", 1L));
        assertThat(r.get("flags")).isEqualTo(Map.of("min_request_interval", (long) tracker.config().intervalSeconds()));
    }

    @Test
    void scrapeOfAnUnknownInfoHashGivesZeros() {
        Map<String, Object> r = decode(http.scrape(query("info_hash=" + pct(id(0x77)))));

        assertThat(files(r)).containsOnlyKeys(key(id(0x77)));
        assertThat(files(r).get(key(id(0x77)))).isEqualTo(Map.of("complete", 0L, "incomplete", 0L, "downloaded", 0L));
    }

    @Test
    void scrapeWithoutInfoHashListsAllTorrents() throws Exception {
        announce(id(0xE0), peer(1), ip("192.0.2.1"), 6881, "left=0");
        announce(id(0x10), peer(2), ip("192.0.2.2"), 6881, "");
        announce(id(0x90), peer(3), ip("192.0.2.3"), 6881, "");

        Map<String, Object> r = decode(http.scrape(query("")));

        assertThat(files(r).keySet()).containsExactlyInAnyOrder(key(id(0xE0)), key(id(0x10)), key(id(0x90)));
        assertThat(files(r).get(key(id(0xE0)))).containsEntry("complete", 1L);
    }

    @Test
    void scrapeOfAllIsCappedAtMaxScrapeHashes() throws Exception {
        for (int i = 0; i < MAX_SCRAPE + 30; i++) {
            byte[] hash = id(0x40);
            hash[0] = (byte) i;
            announce(hash, peer(1), ip("192.0.2.1"), 6881, "");
        }

        assertThat(files(decode(http.scrape(query(""))))).hasSize(MAX_SCRAPE);
    }

    @Test
    void scrapeOfExactlyMaxScrapeHashesIsAnswered() {
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < MAX_SCRAPE; i++) {
            raw.append(i == 0 ? "" : "&").append("info_hash=").append(pct(id(i)));
        }

        assertThat(files(decode(http.scrape(query(raw.toString()))))).hasSize(MAX_SCRAPE);
    }

    @Test
    void scrapeOfMoreThanMaxScrapeHashesIsRefusedNamingTheLimit() {
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i <= MAX_SCRAPE; i++) {
            raw.append(i == 0 ? "" : "&").append("info_hash=").append(pct(id(i)));
        }

        assertThatThrownBy(() -> http.scrape(query(raw.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + MAX_SCRAPE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 19, 21})
    void scrapeOfAWrongLengthInfoHashIsRefused(int length) {
        String raw = "info_hash=" + pct(id(0xE0)) + "&info_hash=" + pct(new byte[length]);

        assertThatThrownBy(() -> http.scrape(query(raw)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid info_hash");
    }

    @Test
    void scrapeFilesAreKeyedByRawBytesInSortedOrder() {
        List<String> expected = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        for (int first : new int[] {0xF0, 0x00, 0x80, 0x7F}) {
            raw.append(raw.length() == 0 ? "" : "&").append("info_hash=").append(pct(id(first)));
        }
        for (int first : new int[] {0x00, 0x7F, 0x80, 0xF0}) {
            expected.add(key(id(first)));
        }

        assertThat(new ArrayList<>(files(decode(http.scrape(query(raw.toString())))).keySet()))
                .containsExactlyElementsOf(expected);
    }
}
