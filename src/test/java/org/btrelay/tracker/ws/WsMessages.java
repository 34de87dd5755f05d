package org.btrelay.tracker.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.btrelay.tracker.Id20;

/** Ids, SDP objects and messages shaped like the ones webtorrent clients send. */
final class WsMessages {
    static final ObjectMapper JSON = new ObjectMapper();

    private WsMessages() {}

    /** 20 bytes starting at {@code first}, wrapping at 256: control, ASCII and high bytes alike. */
    static Id20 id(int first) {
        byte[] b = new byte[Id20.LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (first + i);
        }
        return Id20.of(b);
    }

    /** The wire form of {@link #id(int)}. */
    static String latin1(int first) {
        return id(first).toLatin1();
    }

    /** An offer or answer object the size of a browser's data-channel-only SDP (about 500 bytes). */
    static ObjectNode sdp(String type, int n) {
        String sdp = "v=0\r\n"
                + "o=- 46117314004300" + (51336 + n) + " 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:Xq" + n + "z\r\na=ice-pwd:7bH0sVq3nP0cR9wYt2LmKfQe" + n + "\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 4F:1C:9A:7E:22:D0:83:5B:6E:F1:0A:47:B9:3C:2D:88:"
                + "E5:70:19:AB:C4:3F:92:6D:51:08:EE:7A:B6:24:DF:13\r\n"
                + "a=setup:" + ("offer".equals(type) ? "actpass" : "active") + "\r\n"
                + "a=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";
        return JSON.createObjectNode().put("type", type).put("sdp", sdp);
    }

    /** An announce as webtorrent writes it, without offers. */
    static ObjectNode announce(Id20 infoHash, Id20 peerId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("numwant", 5).put("uploaded", 0).put("downloaded", 0).put("left", 1000).put("event", "started");
        o.put("action", "announce").put("info_hash", infoHash.toLatin1()).put("peer_id", peerId.toLatin1());
        return o;
    }

    /** Adds {@code count} offers whose ids start at {@link #id(int) id(firstOfferId + 20 * i)}. */
    static ObjectNode withOffers(ObjectNode announce, int count, int firstOfferId) {
        ArrayNode offers = announce.putArray("offers");
        for (int i = 0; i < count; i++) {
            offers.addObject().put("offer_id", latin1(firstOfferId + 20 * i)).set("offer", sdp("offer", i));
        }
        return announce;
    }

    static ObjectNode answer(Id20 infoHash, Id20 peerId, Id20 toPeerId, Id20 offerId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("action", "announce").put("info_hash", infoHash.toLatin1()).put("peer_id", peerId.toLatin1());
        o.put("to_peer_id", toPeerId.toLatin1());
        o.set("answer", sdp("answer", 1));
        o.put("offer_id", offerId.toLatin1());
        return o;
    }
}
