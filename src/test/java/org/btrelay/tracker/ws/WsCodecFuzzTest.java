package org.btrelay.tracker.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.btrelay.tracker.ws.WsMessages.JSON;
import static org.btrelay.tracker.ws.WsMessages.announce;
import static org.btrelay.tracker.ws.WsMessages.answer;
import static org.btrelay.tracker.ws.WsMessages.id;
import static org.btrelay.tracker.ws.WsMessages.withOffers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.btrelay.tracker.OfferPayload;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated messages: {@link WsCodec#parse} answers every one with a request
 * or an {@link WsRequest.Invalid}, never an exception, and whatever it accepts respects its limits.
 */
class WsCodecFuzzTest {
    static final int MAX_OFFERS = 3;
    static final int MAX_SDP = 2048;
    static final int MAX_SCRAPE = 8;
    static final String[] TOKENS = {
        "{", "}", "[", "]", "\"", "\\", "\\u", "\\u00", ",", ":", "null", "true", "0", "-1", "1e999", "1.5",
        "\u20AC", "\uD800", "\uDE00", "\u0000", "\u00FF", "\u0080", "\"info_hash\":", "\"action\":\"scrape\"",
        "\"offers\":[", "\"answer\":{", "[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":", "\"" + "x".repeat(20) + "\"",
    };

    enum Kind { ANNOUNCE, ANSWER, SCRAPE, INVALID }

    final WsCodec codec = new WsCodec(MAX_OFFERS, MAX_SDP, MAX_SCRAPE);
    final Random random = new Random(0x5EEDL);

    List<ObjectNode> templates() {
        List<ObjectNode> out = new ArrayList<>();
        out.add(withOffers(announce(id(0xE0), id(0x00)), 5, 0x40));
        out.add(announce(id(0x80), id(0x10)));
        out.add(answer(id(0xE0), id(0x00), id(0x60), id(0xA0)));
        ObjectNode scrape = JSON.createObjectNode().put("action", "scrape");
        ArrayNode list = scrape.putArray("info_hash");
        for (int i = 0; i < 4; i++) {
            list.add(id(i * 50).toLatin1());
        }
        out.add(scrape);
        out.add(JSON.createObjectNode().put("action", "scrape").put("info_hash", id(0xF0).toLatin1()));
        ObjectNode keepAlive = JSON.createObjectNode().put("action", "scrape");
        keepAlive.putArray("info_hash");
        out.add(keepAlive);
        return out;
    }

    JsonNode randomValue(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (random.nextInt(depth > 3 ? 6 : 9)) {
            case 0: return f.nullNode();
            case 1: return f.booleanNode(random.nextBoolean());
            case 2: return f.numberNode(random.nextInt(41) - 20);
            case 3: return f.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40)));
            case 4: return f.textNode(randomText(random.nextInt(4) == 0 ? 20 : random.nextInt(30)));
            case 5: return f.textNode(id(random.nextInt(256)).toLatin1());
            case 6: {
                ArrayNode a = f.arrayNode();
                for (int i = random.nextInt(MAX_SCRAPE + 3); i > 0; i--) {
                    a.add(randomValue(depth + 1));
                }
                return a;
            }
            case 7: {
                ObjectNode o = f.objectNode();
                o.put("type", "offer").put("sdp", "s".repeat(random.nextInt(MAX_SDP + 200)));
                return o;
            }
            default: {
                ObjectNode o = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    o.set(randomText(3), randomValue(depth + 1));
                }
                return o;
            }
        }
    }

    String randomText(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int r = random.nextInt(10);
            b.append((char) (r < 6 ? 0x20 + random.nextInt(0x5F) : r < 9 ? random.nextInt(0x100) : random.nextInt(0x10000)));
        }
        return b.toString();
    }

    /** Changes one member of the message (or of an offer in it) to a random value, or drops it. */
    String structuralMutation(ObjectNode template) {
        ObjectNode msg = template.deepCopy();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            ObjectNode target = msg;
            if (msg.has("offers") && msg.get("offers").isArray() && msg.get("offers").size() > 0 && random.nextBoolean()) {
                JsonNode entry = msg.get("offers").get(random.nextInt(msg.get("offers").size()));
                if (entry.isObject()) {
                    target = (ObjectNode) entry;
                }
            }
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            String name = names.isEmpty() || random.nextInt(5) == 0 ? randomText(4) : names.get(random.nextInt(names.size()));
            if (random.nextInt(6) == 0) {
                target.remove(name);
            } else {
                target.set(name, randomValue(0));
            }
        }
        return msg.toString();
    }

    String textMutation(String text) {
        StringBuilder b = new StringBuilder(text);
        for (int n = 1 + random.nextInt(4); n > 0 && b.length() > 0; n--) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(5)) {
                case 0 -> b.setLength(at);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(30)));
                case 2 -> b.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 3 -> b.setCharAt(at, (char) random.nextInt(0x10000));
                default -> {
                    int from = random.nextInt(b.length());
                    int to = Math.min(b.length(), from + random.nextInt(80));
                    b.insert(at, b.substring(from, to));
                }
            }
        }
        return b.toString();
    }

    @Test
    void thousandsOfRandomAndMutatedMessagesNeverThrowAndRespectTheLimits() throws Exception {
        List<ObjectNode> templates = templates();
        Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
        for (int i = 0; i < 6000; i++) {
            String text;
            switch (i % 3) {
                case 0 -> text = structuralMutation(templates.get(random.nextInt(templates.size())));
                case 1 -> text = textMutation(templates.get(random.nextInt(templates.size())).toString());
                default -> text = randomText(random.nextInt(200));
            }
            WsRequest r;
            try {
                r = codec.parse(text);
            } catch (Throwable t) {
                throw new AssertionError("parse threw on message #" + i + ": " + abbreviate(text), t);
            }
            seen.merge(check(r, text), 1, Integer::sum);
        }
        // The run reached every outcome, so the checks above were exercised on each.
        assertThat(seen.keySet()).containsExactlyInAnyOrder(Kind.values());
    }

    Kind check(WsRequest r, String text) throws Exception {
        assertThat(r).as(abbreviate(text)).isNotNull();
        if (r instanceof WsRequest.Announce a) {
            assertThat(a.infoHash()).isNotNull();
            assertThat(a.peerId()).isNotNull();
            assertThat(a.event()).isNotNull();
            assertThat(a.offers()).hasSizeLessThanOrEqualTo(MAX_OFFERS);
            for (OfferPayload o : a.offers()) {
                assertThat(o.offerId()).isNotNull();
                assertThat(o.sdpJson().length()).isLessThanOrEqualTo(MAX_SDP);
                assertThat(JSON.readTree(o.sdpJson()).isObject()).isTrue();
            }
            assertThat(a.left()).isGreaterThanOrEqualTo(-1);
            assertThat(a.uploaded()).isNotNegative();
            assertThat(a.downloaded()).isNotNegative();
            return Kind.ANNOUNCE;
        }
        if (r instanceof WsRequest.Answer a) {
            assertThat(List.of(a.infoHash(), a.peerId(), a.toPeerId(), a.offerId())).doesNotContainNull();
            assertThat(a.answerJson().length()).isLessThanOrEqualTo(MAX_SDP);
            assertThat(JSON.readTree(a.answerJson()).isObject()).isTrue();
            return Kind.ANSWER;
        }
        if (r instanceof WsRequest.Scrape s) {
            if (s.infoHashes() != null) {
                assertThat(s.infoHashes()).hasSizeLessThanOrEqualTo(MAX_SCRAPE).doesNotContainNull();
            }
            return Kind.SCRAPE;
        }
        WsRequest.Invalid bad = (WsRequest.Invalid) r;
        assertThat(bad.reason()).isNotBlank();
        assertThat(bad.action()).isIn(null, "announce", "scrape");
        // The reply to it is well-formed JSON with the reason in it.
        JsonNode reply = JSON.readTree(codec.failure(bad.reason(), bad.action(), bad.infoHash()));
        assertThat(reply.get("failure reason").asText()).isEqualTo(bad.reason());
        return Kind.INVALID;
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    @Test
    void everyPrefixOfAValidAnnounceIsAnsweredWithoutThrowing() {
        String full = withOffers(announce(id(0xE0), id(0x00)), 2, 0x40).toString();
        for (int cut = 0; cut <= full.length(); cut++) {
            String text = full.substring(0, cut);
            WsRequest r = codec.parse(text);
            if (cut < full.length()) {
                assertThat(r).as("prefix of %d chars", cut).isInstanceOf(WsRequest.Invalid.class);
            } else {
                assertThat(r).isInstanceOf(WsRequest.Announce.class);
            }
        }
    }

    @Test
    void noSingleCharacterChangeMakesParseThrow() {
        String full = answer(id(0xE0), id(0x00), id(0x60), id(0xA0)).toString();
        char[] replacements = {'"', '\\', '{', '}', '[', ']', ',', ':', '\u0000', '\u20AC', '\uD800', 'x', '0'};
        for (int at = 0; at < full.length(); at++) {
            for (char c : replacements) {
                String text = full.substring(0, at) + c + full.substring(at + 1);
                try {
                    assertThat(codec.parse(text)).isNotNull();
                } catch (RuntimeException e) {
                    fail("parse threw on " + abbreviate(text), e);
                }
            }
        }
    }
}
