package org.btrelay.bench;

import java.util.SplittableRandom;

/**
 * What the simulated browsers say: ids and the announce, answer and scrape messages, written the
 * way the webtorrent client writes them, with SDP texts shaped like a browser's data-channel
 * offer. One instance per event-loop thread (not thread-safe).
 */
final class Traffic {
    private static final char[] ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int SDP_VARIANTS = 16;

    private final BenchConfig config;
    private final SplittableRandom random;
    /** Offer and answer objects, already JSON: {@code {"type":"offer","sdp":"v=0\r\n..."}}. */
    private final byte[][] offerObjects;
    private final byte[][] answerObjects;
    final Json.Out out = new Json.Out(16 * 1024);

    Traffic(BenchConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
        offerObjects = new byte[SDP_VARIANTS][];
        answerObjects = new byte[SDP_VARIANTS][];
        for (int i = 0; i < SDP_VARIANTS; i++) {
            offerObjects[i] = sdpObject("offer", "actpass", config.sdpBytes());
            answerObjects[i] = sdpObject("answer", "active", config.sdpBytes());
        }
    }

    SplittableRandom random() {
        return random;
    }

    /** A 20-character id of printable ASCII: a fixed prefix, then {@code n} in base 62. */
    static String id(String prefix, long n) {
        char[] c = new char[20];
        int p = prefix.length();
        prefix.getChars(0, p, c, 0);
        for (int i = 19; i >= p; i--) {
            c[i] = ALNUM[(int) Long.remainderUnsigned(n, 62)];
            n = Long.divideUnsigned(n, 62);
        }
        return new String(c);
    }

    /** The announce of one peer for one torrent, with fresh offer ids. */
    Json.Out announce(Peer peer, int torrent, String event) {
        Json.Out o = out;
        o.reset();
        o.raw("{\"action\":\"announce\",\"info_hash\":").string(peer.infoHashes[torrent])
                .raw(",\"peer_id\":").string(peer.peerId)
                .raw(",\"numwant\":").number(config.offers())
                .raw(",\"uploaded\":0,\"downloaded\":0,\"left\":").raw(peer.seeder ? "0" : "1048576");
        if (event != null) {
            o.raw(",\"event\":\"").raw(event).raw("\"");
        }
        if (config.offers() > 0) {
            o.raw(",\"offers\":[");
            for (int i = 0; i < config.offers(); i++) {
                if (i > 0) {
                    o.raw(",");
                }
                o.raw("{\"offer\":").raw(offerObjects[random.nextInt(SDP_VARIANTS)])
                        .raw(",\"offer_id\":").string(id(peer.offerPrefix, peer.offersMade++)).raw("}");
            }
            o.raw("]");
        }
        return o.raw("}");
    }

    Json.Out answer(Peer peer, String infoHash, String toPeerId, String offerId) {
        Json.Out o = out;
        o.reset();
        return o.raw("{\"action\":\"announce\",\"info_hash\":").string(infoHash)
                .raw(",\"peer_id\":").string(peer.peerId)
                .raw(",\"to_peer_id\":").string(toPeerId)
                .raw(",\"answer\":").raw(answerObjects[random.nextInt(SDP_VARIANTS)])
                .raw(",\"offer_id\":").string(offerId).raw("}");
    }

    Json.Out scrape(Peer peer, int torrent) {
        Json.Out o = out;
        o.reset();
        return o.raw("{\"action\":\"scrape\",\"info_hash\":[").string(peer.infoHashes[torrent]).raw("]}");
    }

    /**
     * A JSON object like a browser's SDP for one data channel, padded with candidate lines to
     * about {@code size} characters of SDP.
     */
    private byte[] sdpObject(String type, String setup, int size) {
        StringBuilder sdp = new StringBuilder(size + 64);
        sdp.append("v=0\r\no=- ").append(Math.abs(random.nextLong() % 10_000_000_000_000_000L))
                .append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\n")
                .append("a=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n")
                .append("c=IN IP4 0.0.0.0\r\na=ice-ufrag:").append(token(4)).append("\r\na=ice-pwd:")
                .append(token(24)).append("\r\na=ice-options:trickle\r\na=fingerprint:sha-256 ");
        for (int i = 0; i < 32; i++) {
            if (i > 0) {
                sdp.append(':');
            }
            sdp.append(String.format("%02X", random.nextInt(256)));
        }
        sdp.append("\r\na=setup:").append(setup).append("\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n");
        int port = 50000;
        while (sdp.length() < size) {
            sdp.append("a=candidate:").append(random.nextInt(1 << 30)).append(" 1 udp 2113937151 ")
                    .append(token(8)).append(".local ").append(port++).append(" typ host generation 0\r\n");
        }
        sdp.setLength(size);
        Json.Out o = new Json.Out(size + 64);
        o.raw("{\"type\":\"").raw(type).raw("\",\"sdp\":").string(sdp.toString()).raw("}");
        return java.util.Arrays.copyOf(o.buf, o.len);
    }

    private String token(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = ALNUM[random.nextInt(ALNUM.length)];
        }
        return new String(c);
    }
}
