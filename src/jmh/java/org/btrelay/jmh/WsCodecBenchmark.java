package org.btrelay.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.Signal;
import org.btrelay.tracker.ws.WsCodec;
import org.btrelay.tracker.ws.WsRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The WebSocket codec on the messages that dominate a busy tracker: reading an announce that
 * carries five offers (webtorrent's count) of browser-sized SDP, and writing one forwarded offer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WsCodecBenchmark {
    private WsCodec codec;
    private byte[] announceBytes;
    private String announceWithFiveOffers;
    private Signal.Offer offer;
    private Id20 infoHash;

    /** An offer or answer object as a browser sends it: about 500 characters of SDP. */
    static String sdpObject(String type) {
        StringBuilder sdp = new StringBuilder();
        sdp.append("v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n")
                .append("a=group:BUNDLE 0\\r\\na=extmap-allow-mixed\\r\\na=msid-semantic: WMS\\r\\n")
                .append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\\r\\nc=IN IP4 0.0.0.0\\r\\n")
                .append("a=ice-ufrag:Xk3q\\r\\na=ice-pwd:Wm0Pq8nR2sT4uV6wX8yZ0aB2\\r\\na=ice-options:trickle\\r\\n")
                .append("a=fingerprint:sha-256 ");
        for (int i = 0; i < 32; i++) {
            sdp.append(i == 0 ? "" : ":").append(String.format("%02X", (i * 37) & 0xFF));
        }
        sdp.append("\\r\\na=setup:actpass\\r\\na=mid:0\\r\\na=sctp-port:5000\\r\\na=max-message-size:262144\\r\\n");
        return "{\"type\":\"" + type + "\",\"sdp\":\"" + sdp + "\"}";
    }

    /** A 20-character id in the wire form, with some bytes that JSON has to escape. */
    static String wireId(SplittableRandom random) {
        char[] c = new char[20];
        for (int i = 0; i < 20; i++) {
            c[i] = (char) random.nextInt(256);
        }
        return new String(c);
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Setup
    public void setUp() {
        Limits l = Limits.DEFAULTS;
        codec = new WsCodec(l.maxOffersPerAnnounce(), l.maxSdpBytes(), l.maxScrapeHashes());
        SplittableRandom random = new SplittableRandom(7);
        String hash = wireId(random);
        StringBuilder m = new StringBuilder();
        m.append("{\"action\":\"announce\",\"info_hash\":").append(json(hash))
                .append(",\"peer_id\":").append(json("-WW0208-" + wireId(random).substring(8)))
                .append(",\"numwant\":5,\"uploaded\":0,\"downloaded\":0,\"left\":1048576,\"event\":\"started\",\"offers\":[");
        for (int i = 0; i < 5; i++) {
            m.append(i == 0 ? "" : ",").append("{\"offer\":").append(sdpObject("offer"))
                    .append(",\"offer_id\":").append(json(wireId(random))).append('}');
        }
        announceWithFiveOffers = m.append("]}").toString();
        announceBytes = announceWithFiveOffers.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!(codec.parse(announceWithFiveOffers) instanceof WsRequest.Announce a) || a.offers().size() != 5) {
            throw new IllegalStateException("the sample announce does not parse");
        }
        infoHash = Id20.fromLatin1(hash);
        offer = new Signal.Offer(infoHash, Id20.fromLatin1(wireId(random)), Id20.fromLatin1(wireId(random)),
                sdpObject("offer"));
    }

    /** As the relay reads a message: the frame's UTF-8 bytes. */
    @Benchmark
    public WsRequest parseAnnounceWithFiveOffers() {
        return codec.parse(announceBytes, 0, announceBytes.length);
    }

    @Benchmark
    public byte[] writeOfferSignal() {
        return codec.signal(offer);
    }

    @Benchmark
    public byte[] writeAnnounceReply() {
        return codec.announceReply(infoHash, 12, 34, 120);
    }
}
