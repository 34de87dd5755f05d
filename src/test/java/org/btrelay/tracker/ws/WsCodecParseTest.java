package org.btrelay.tracker.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.ws.WsMessages.JSON;
import static org.btrelay.tracker.ws.WsMessages.announce;
import static org.btrelay.tracker.ws.WsMessages.answer;
import static org.btrelay.tracker.ws.WsMessages.id;
import static org.btrelay.tracker.ws.WsMessages.latin1;
import static org.btrelay.tracker.ws.WsMessages.sdp;
import static org.btrelay.tracker.ws.WsMessages.withOffers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.btrelay.tracker.AnnounceRequest;
import org.btrelay.tracker.Event;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.OfferPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every shape of client message {@link WsCodec#parse} meets, the odd and the broken ones included. */
class WsCodecParseTest {
    static final int MAX_OFFERS = Limits.DEFAULTS.maxOffersPerAnnounce();
    static final int MAX_SDP = Limits.DEFAULTS.maxSdpBytes();
    static final int MAX_SCRAPE = Limits.DEFAULTS.maxScrapeHashes();
    static final Id20 INFO_HASH = id(0xE0); // E0..F3: high bytes
    static final Id20 PEER_ID = id(0x00);   // 00..13: control bytes, escaped on the wire

    final WsCodec codec = new WsCodec(MAX_OFFERS, MAX_SDP, MAX_SCRAPE);

    WsRequest parse(JsonNode message) {
        return codec.parse(message.toString());
    }

    static WsRequest.Invalid invalid(String reason, String action, Id20 infoHash) {
        return new WsRequest.Invalid(reason, action, infoHash);
    }

    /** A JSON string literal writing every byte as a six-character backslash-u escape. */
    static String escaped(byte[] bytes) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : bytes) {
            b.append(String.format("\\u%04X", x & 0xFF));
        }
        return b.append('"').toString();
    }

    static byte[] bytesFrom(int first) {
        return id(first).toBytes();
    }

    // ------------------------------------------------------------------ announce

    @Test
    void announceWithFiveOffersKeepsEveryOfferIdAndItsObject() throws Exception {
        ObjectNode msg = withOffers(announce(INFO_HASH, PEER_ID), 5, 0x40);

        WsRequest.Announce a = (WsRequest.Announce) parse(msg);

        assertThat(a.infoHash()).isEqualTo(INFO_HASH);
        assertThat(a.peerId()).isEqualTo(PEER_ID);
        assertThat(a.event()).isEqualTo(Event.STARTED);
        assertThat(a.left()).isEqualTo(1000);
        assertThat(a.offers()).extracting(OfferPayload::offerId)
                .containsExactly(id(0x40), id(0x54), id(0x68), id(0x7C), id(0x90));
        for (int i = 0; i < 5; i++) {
            JsonNode sent = msg.get("offers").get(i).get("offer");
            assertThat(sent.get("sdp").asText()).hasSizeGreaterThan(450);
            assertThat(JSON.readTree(a.offers().get(i).sdpJson())).isEqualTo(sent);
        }
    }

    @Test
    void announceWithoutOffersHasAnEmptyOfferList() {
        WsRequest.Announce a = (WsRequest.Announce) parse(announce(INFO_HASH, PEER_ID));

        assertThat(a).isEqualTo(new WsRequest.Announce(INFO_HASH, PEER_ID, Event.STARTED, 1000, 0, 0, List.of()));
    }

    @Test
    void emptyOrNullOfferListsAreNoOffers() {
        ObjectNode empty = announce(INFO_HASH, PEER_ID);
        empty.putArray("offers");
        ObjectNode nul = announce(INFO_HASH, PEER_ID).putNull("offers");

        assertThat(((WsRequest.Announce) parse(empty)).offers()).isEmpty();
        assertThat(((WsRequest.Announce) parse(nul)).offers()).isEmpty();
    }

    @Test
    void offersBeyondMaxOffersAreDroppedNotRefused() {
        WsCodec three = new WsCodec(3, MAX_SDP, MAX_SCRAPE);

        WsRequest r = three.parse(withOffers(announce(INFO_HASH, PEER_ID), 5, 0x40).toString());

        assertThat(r).isInstanceOf(WsRequest.Announce.class);
        assertThat(((WsRequest.Announce) r).offers()).extracting(OfferPayload::offerId)
                .containsExactly(id(0x40), id(0x54), id(0x68));
    }

    @Test
    void leftNullMeansUnknownLeft() {
        WsRequest.Announce a = (WsRequest.Announce) parse(announce(INFO_HASH, PEER_ID).putNull("left"));

        assertThat(a.left()).isEqualTo(AnnounceRequest.UNKNOWN_LEFT);
    }

    @Test
    void leftAbsentMeansUnknownLeft() {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.remove("left");

        assertThat(((WsRequest.Announce) parse(msg)).left()).isEqualTo(AnnounceRequest.UNKNOWN_LEFT);
    }

    @Test
    void leftZeroIsKeptAsZero() {
        WsRequest.Announce a = (WsRequest.Announce) parse(announce(INFO_HASH, PEER_ID).put("left", 0));

        assertThat(a.left()).isZero();
    }

    @Test
    void numbersMayBeWrittenAsFloats() {
        String text = "{\"action\":\"announce\",\"info_hash\":\"" + latin1(0xE0) + "\",\"peer_id\":\"" + latin1(0x30)
                + "\",\"left\":1234.0,\"uploaded\":1.5e3,\"downloaded\":2E2}";

        WsRequest.Announce a = (WsRequest.Announce) codec.parse(text);

        assertThat(a.left()).isEqualTo(1234);
        assertThat(a.uploaded()).isEqualTo(1500);
        assertThat(a.downloaded()).isEqualTo(200);
    }

    @Test
    void largeCountersAreRead() {
        WsRequest.Announce a = (WsRequest.Announce) parse(announce(INFO_HASH, PEER_ID)
                .put("left", 5_000_000_000_000L).put("uploaded", 1L << 40).put("downloaded", 1L << 50));

        assertThat(a.left()).isEqualTo(5_000_000_000_000L);
        assertThat(a.uploaded()).isEqualTo(1L << 40);
        assertThat(a.downloaded()).isEqualTo(1L << 50);
    }

    @ParameterizedTest
    @CsvSource({"left,-1", "uploaded,-5", "downloaded,1e30"})
    void negativeOrHugeCountersAreInvalid(String field, String value) {
        String text = announce(INFO_HASH, PEER_ID).toString().replaceFirst("}$", ",\"" + field + "\":" + value + "}");

        assertThat(codec.parse(text)).isEqualTo(invalid("invalid " + field, "announce", INFO_HASH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"left", "uploaded", "downloaded"})
    void counterGivenAsStringIsInvalid(String field) {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put(field, "100"));

        // What it echoes is checked in invalidCounterInWebtorrentFieldOrderStillEchoesActionAndInfoHash.
        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
        assertThat(((WsRequest.Invalid) r).reason()).isEqualTo("invalid " + field);
    }

    @ParameterizedTest
    @CsvSource({"started,STARTED", "stopped,STOPPED", "completed,COMPLETED", "update,UPDATE", "paused,PAUSED"})
    void everyEventNameIsRead(String name, Event expected) {
        WsRequest.Announce a = (WsRequest.Announce) parse(announce(INFO_HASH, PEER_ID).put("event", name));

        assertThat(a.event()).isEqualTo(expected);
    }

    @Test
    void missingOrNullEventIsUpdate() {
        ObjectNode missing = announce(INFO_HASH, PEER_ID);
        missing.remove("event");

        assertThat(((WsRequest.Announce) parse(missing)).event()).isEqualTo(Event.UPDATE);
        assertThat(((WsRequest.Announce) parse(announce(INFO_HASH, PEER_ID).putNull("event"))).event())
                .isEqualTo(Event.UPDATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "STARTED", "Stopped", "announce", " update"})
    void unknownEventIsInvalidAndNamesTheTorrent(String name) {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put("event", name));

        assertThat(r).isEqualTo(invalid("invalid event", "announce", INFO_HASH));
    }

    @Test
    void eventThatIsNotAStringIsInvalid() {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put("event", 1));

        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
        assertThat(((WsRequest.Invalid) r).reason()).isEqualTo("invalid event");
    }

    @Test
    void unknownFieldsOfAnyShapeAreIgnored() {
        ObjectNode msg = withOffers(announce(INFO_HASH, PEER_ID), 2, 0x40);
        msg.put("trackerid", "abc").put("compact", true).putNull("nothing").put("ratio", 0.5);
        msg.putObject("x_meta").put("a", 1).putArray("b").add(1).addObject().putArray("c").addArray().add("deep");
        msg.putArray("x_list").add(1).add("two").addNull().addObject().put("offer_id", "not an id");
        // Fields inside an offer entry that the tracker does not know are skipped too.
        ((ObjectNode) msg.get("offers").get(0)).putObject("x_extra").putArray("y").add(true);

        WsRequest.Announce a = (WsRequest.Announce) parse(msg);

        assertThat(a.infoHash()).isEqualTo(INFO_HASH);
        assertThat(a.offers()).extracting(OfferPayload::offerId).containsExactly(id(0x40), id(0x54));
    }

    // ------------------------------------------------------------------ ids

    @Test
    void idsWithControlBytesAsEscapesAndRawHighBytesAreRead() {
        byte[] hash = new byte[20];
        for (int i = 0; i < 20; i++) {
            hash[i] = (byte) (i < 10 ? i : 0x80 + i);   // 00..09 then 8A..93
        }
        // Control bytes as backslash-u escapes (as the reference server writes them), the rest raw.
        StringBuilder text = new StringBuilder("{\"action\":\"announce\",\"info_hash\":\"");
        for (byte b : hash) {
            int c = b & 0xFF;
            text.append(c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c));
        }
        text.append("\",\"peer_id\":\"").append(latin1(0xEC)).append("\"}"); // EC..FF, raw

        WsRequest.Announce a = (WsRequest.Announce) codec.parse(text.toString());

        assertThat(a.infoHash().toBytes()).isEqualTo(hash);
        assertThat(a.peerId()).isEqualTo(id(0xEC));
    }

    static IntStream firstBytesCoveringAll256() {
        return IntStream.iterate(0, i -> i < 256, i -> i + 20);
    }

    @ParameterizedTest
    @MethodSource("firstBytesCoveringAll256")
    void everyByteValueIsReadFromItsEscape(int first) {
        String text = "{\"action\":\"scrape\",\"info_hash\":" + escaped(bytesFrom(first)) + "}";

        assertThat(codec.parse(text)).isEqualTo(new WsRequest.Scrape(List.of(id(first))));
    }

    @ParameterizedTest
    @MethodSource("firstBytesCoveringAll256")
    void everyByteValueIsReadFromItsRawCharacter(int first) {
        // Jackson writes U+0000..U+001F as escapes and everything else as the raw character.
        String text = JSON.createObjectNode().put("action", "scrape").put("info_hash", latin1(first)).toString();

        assertThat(codec.parse(text)).isEqualTo(new WsRequest.Scrape(List.of(id(first))));
    }

    static Stream<Arguments> wrongLengthIds() {
        List<Arguments> out = new ArrayList<>();
        for (String field : List.of("info_hash", "peer_id")) {
            for (int length : new int[] {0, 1, 19, 21, 40}) {
                out.add(Arguments.of(field, length));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("wrongLengthIds")
    void idOfAnyLengthButTwentyIsInvalid(String field, int length) {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put(field, "a".repeat(length)));

        assertThat(r).isEqualTo(invalid("invalid " + field, "announce", field.equals("info_hash") ? null : INFO_HASH));
    }

    static Stream<Arguments> idsWithCharsAboveFF() {
        String base = latin1(0x41).substring(0, 19);
        List<Arguments> out = new ArrayList<>();
        for (String field : List.of("info_hash", "peer_id")) {
            out.add(Arguments.of(field, base + "\u20AC"));                        // euro sign
            out.add(Arguments.of(field, base + "\u0100"));                        // first char past Latin-1
            out.add(Arguments.of(field, "\u4E2D" + base));                        // CJK first
            out.add(Arguments.of(field, base.substring(0, 18) + "\uD83D\uDE00")); // emoji: 2 UTF-16 units
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("idsWithCharsAboveFF")
    void idWithACharacterAboveFFIsInvalid(String field, String value) {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put(field, value));

        assertThat(r).isEqualTo(invalid("invalid " + field, "announce", field.equals("info_hash") ? null : INFO_HASH));
    }

    @Test
    void idWithEscapedCharAboveFFIsInvalid() {
        String text = "{\"action\":\"announce\",\"info_hash\":\"" + latin1(0x41).substring(0, 19)
                + "\\u0100\",\"peer_id\":\"" + latin1(0x30) + "\"}";

        assertThat(codec.parse(text)).isEqualTo(invalid("invalid info_hash", "announce", null));
    }

    static Stream<Arguments> idsOfTheWrongJsonType() {
        List<Arguments> out = new ArrayList<>();
        for (String field : List.of("info_hash", "peer_id")) {
            for (String value : List.of("12345678901234567890", "[\"" + latin1(0x41) + "\"]", "{}", "true")) {
                out.add(Arguments.of(field, value));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("idsOfTheWrongJsonType")
    void idGivenAsNumberArrayObjectOrBooleanIsInvalid(String field, String json) throws Exception {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.set(field, JSON.readTree(json));

        WsRequest r = parse(msg);

        assertThat(r).isEqualTo(invalid("invalid " + field, "announce",
                field.equals("info_hash") ? null : INFO_HASH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"info_hash", "peer_id"})
    void missingOrNullIdIsInvalid(String field) {
        ObjectNode missing = announce(INFO_HASH, PEER_ID);
        missing.remove(field);
        Id20 echoed = field.equals("info_hash") ? null : INFO_HASH;

        assertThat(parse(missing)).isEqualTo(invalid("invalid " + field, "announce", echoed));
        assertThat(parse(announce(INFO_HASH, PEER_ID).putNull(field)))
                .isEqualTo(invalid("invalid " + field, "announce", echoed));
    }

    // ------------------------------------------------------------------ answer

    @Test
    void answerIsReadWithItsTargetOfferIdAndObject() throws Exception {
        ObjectNode msg = answer(INFO_HASH, PEER_ID, id(0x60), id(0xA0));

        WsRequest.Answer a = (WsRequest.Answer) parse(msg);

        assertThat(a.infoHash()).isEqualTo(INFO_HASH);
        assertThat(a.peerId()).isEqualTo(PEER_ID);
        assertThat(a.toPeerId()).isEqualTo(id(0x60));
        assertThat(a.offerId()).isEqualTo(id(0xA0));
        assertThat(JSON.readTree(a.answerJson())).isEqualTo(msg.get("answer"));
    }

    static Stream<Arguments> brokenAnswers() {
        return Stream.of(
                Arguments.of("to_peer_id", null, "invalid to_peer_id"),
                Arguments.of("to_peer_id", "short", "invalid to_peer_id"),
                Arguments.of("to_peer_id", "x".repeat(21), "invalid to_peer_id"),
                Arguments.of("to_peer_id", latin1(0).substring(1) + "\u20AC", "invalid to_peer_id"),
                Arguments.of("offer_id", null, "invalid offer_id"),
                Arguments.of("offer_id", "short", "invalid offer_id"),
                Arguments.of("offer_id", latin1(0).substring(1) + "\u20AC", "invalid offer_id"));
    }

    @ParameterizedTest
    @MethodSource("brokenAnswers")
    void answerWithMissingOrInvalidTargetIsInvalid(String field, String value, String reason) {
        ObjectNode msg = answer(INFO_HASH, PEER_ID, id(0x60), id(0xA0));
        if (value == null) {
            msg.remove(field);
        } else {
            msg.put(field, value);
        }

        assertThat(parse(msg)).isEqualTo(invalid(reason, "announce", INFO_HASH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"to_peer_id", "offer_id"})
    void answerTargetGivenAsNumberIsInvalid(String field) {
        WsRequest r = parse(answer(INFO_HASH, PEER_ID, id(0x60), id(0xA0)).put(field, 12));

        assertThat(r).isEqualTo(invalid("invalid " + field, "announce", INFO_HASH));
    }

    @Test
    void answerThatIsNotAnObjectIsInvalid() {
        WsRequest r = parse(answer(INFO_HASH, PEER_ID, id(0x60), id(0xA0)).put("answer", "v=0"));

        assertThat(r).isEqualTo(invalid("invalid answer", "announce", INFO_HASH));
    }

    @Test
    void answerLargerThanTheLimitIsInvalidAndNamesTheLimit() {
        WsCodec small = new WsCodec(MAX_OFFERS, 1024, MAX_SCRAPE);
        ObjectNode msg = answer(INFO_HASH, PEER_ID, id(0x60), id(0xA0));
        ((ObjectNode) msg.get("answer")).put("sdp", "a".repeat(1100));

        WsRequest r = small.parse(msg.toString());

        assertThat(r).isEqualTo(invalid("answer is too large (at most 1024 bytes)", "announce", INFO_HASH));
    }

    @Test
    void nullAnswerMakesAPlainAnnounce() {
        ObjectNode msg = answer(INFO_HASH, PEER_ID, id(0x60), id(0xA0)).putNull("answer");

        assertThat(parse(msg)).isInstanceOf(WsRequest.Announce.class);
    }

    // ------------------------------------------------------------------ offers

    /** An offer object whose compact JSON is exactly {@code size} characters. */
    static ObjectNode offerOfSize(int size) {
        ObjectNode o = JSON.createObjectNode().put("type", "offer").put("sdp", "");
        int overhead = o.toString().length();
        return o.put("sdp", "v".repeat(size - overhead));
    }

    @Test
    void offerObjectAtTheLimitIsAccepted() {
        WsCodec small = new WsCodec(MAX_OFFERS, 1024, MAX_SCRAPE);
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.putArray("offers").addObject().put("offer_id", latin1(0x40)).set("offer", offerOfSize(1024));

        WsRequest r = small.parse(msg.toString());

        assertThat(r).isInstanceOf(WsRequest.Announce.class);
        assertThat(((WsRequest.Announce) r).offers().get(0).sdpJson()).hasSize(1024);
    }

    /** The announce is served; the malformed offers are left out, counted and named in a warning. */
    static WsRequest.Announce droppedOffers(WsRequest r, int forwarded, int dropped, String reason) {
        assertThat(r).isInstanceOf(WsRequest.Announce.class);
        WsRequest.Announce a = (WsRequest.Announce) r;
        assertThat(a.infoHash()).isEqualTo(INFO_HASH);
        assertThat(a.offers()).hasSize(forwarded);
        assertThat(a.droppedOffers()).isEqualTo(dropped);
        assertThat(a.warning()).isEqualTo(dropped + (dropped == 1 ? " offer was" : " offers were")
                + " not forwarded: " + reason);
        return a;
    }

    @Test
    void offerObjectLargerThanTheLimitIsLeftOutAndTheWarningNamesTheLimit() {
        WsCodec small = new WsCodec(MAX_OFFERS, 1024, MAX_SCRAPE);
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        ArrayNode offers = msg.putArray("offers");
        offers.addObject().put("offer_id", latin1(0x40)).set("offer", offerOfSize(1025));
        offers.addObject().put("offer_id", latin1(0x41)).set("offer", offerOfSize(1024));

        WsRequest.Announce a = droppedOffers(small.parse(msg.toString()), 1, 1, "offer is too large (at most 1024 bytes)");

        assertThat(a.offers().get(0).offerId()).isEqualTo(Id20.fromLatin1(latin1(0x41)));
    }

    @Test
    void offerLimitCountsUtf8BytesNotCharacters() {
        WsCodec small = new WsCodec(MAX_OFFERS, 1024, MAX_SCRAPE);
        ObjectNode offer = JSON.createObjectNode().put("type", "offer").put("sdp", "\u20AC".repeat(600));
        assertThat(offer.toString()).hasSizeLessThan(1024);                                  // 627 chars
        assertThat(offer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isGreaterThan(1024);
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.putArray("offers").addObject().put("offer_id", latin1(0x40)).set("offer", offer);

        droppedOffers(small.parse(msg.toString()), 0, 1, "offer is too large (at most 1024 bytes)");
    }

    @Test
    void offerThatIsAStringIsLeftOut() {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.putArray("offers").addObject().put("offer_id", latin1(0x40)).put("offer", "v=0\r\n");

        droppedOffers(parse(msg), 0, 1, "invalid offer");
    }

    @Test
    void placeholderOfferEntriesAreLeftOutAndTheAnnounceIsServed() {
        // bittorrent-tracker's own client tests announce with offers like these.
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        ArrayNode offers = msg.putArray("offers");
        offers.addObject();
        offers.addObject().put("offer_id", latin1(0x40));
        offers.addObject().set("offer", sdp("offer", 0));

        droppedOffers(parse(msg), 0, 3, "invalid offer");
    }

    @Test
    void offerWithoutOfferIdIsLeftOut() {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.putArray("offers").addObject().set("offer", sdp("offer", 0));

        droppedOffers(parse(msg), 0, 1, "invalid offer_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"short\"", "12", "[]", "{}", "{\"a\":[1,{\"b\":2}]}"})
    void offerWithAnInvalidOfferIdIsLeftOutAndTheOthersAreForwarded(String offerId) throws Exception {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        ArrayNode offers = msg.putArray("offers");
        ObjectNode entry = offers.addObject();
        entry.set("offer_id", JSON.readTree(offerId));
        entry.set("offer", sdp("offer", 0));
        offers.addObject().put("offer_id", latin1(0x41)).set("offer", sdp("offer", 1));

        WsRequest.Announce a = droppedOffers(parse(msg), 1, 1, "invalid offer_id");

        assertThat(a.offers().get(0).offerId()).isEqualTo(Id20.fromLatin1(latin1(0x41)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "\"offers\"", "5", "{\"x\":[1,2,{}]}"})
    void offersThatAreNotAListAreIgnoredWithAWarning(String offers) throws Exception {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.set("offers", JSON.readTree(offers));

        droppedOffers(parse(msg), 0, 1, "offers must be a list");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"not an object\"]", "[[]]", "[null]", "[[1,[2]],7]"})
    void offerEntriesThatAreNotObjectsAreLeftOut(String offers) throws Exception {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.set("offers", JSON.readTree(offers));

        WsRequest r = parse(msg);

        assertThat(r).isInstanceOf(WsRequest.Announce.class);
        assertThat(((WsRequest.Announce) r).offers()).isEmpty();
        assertThat(((WsRequest.Announce) r).warning()).endsWith("not forwarded: an offer must be an object");
    }

    @Test
    void wellFormedAnnounceHasNoWarning() {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.putArray("offers").addObject().put("offer_id", latin1(0x40)).set("offer", sdp("offer", 0));

        WsRequest.Announce a = (WsRequest.Announce) parse(msg);

        assertThat(a.droppedOffers()).isZero();
        assertThat(a.warning()).isNull();
    }

    // ------------------------------------------------------------------ scrape

    static ObjectNode scrape(String... infoHashes) {
        ObjectNode o = JSON.createObjectNode().put("action", "scrape");
        ArrayNode list = o.putArray("info_hash");
        for (String h : infoHashes) {
            list.add(h);
        }
        return o;
    }

    @Test
    void scrapeOfAListReadsEveryInfoHashInOrder() {
        WsRequest r = parse(scrape(latin1(0xE0), latin1(0x00), latin1(0x80)));

        assertThat(r).isEqualTo(new WsRequest.Scrape(List.of(id(0xE0), id(0x00), id(0x80))));
    }

    @Test
    void scrapeOfASingleStringIsAListOfOne() {
        WsRequest r = parse(JSON.createObjectNode().put("action", "scrape").put("info_hash", latin1(0xE0)));

        assertThat(r).isEqualTo(new WsRequest.Scrape(List.of(id(0xE0))));
    }

    @Test
    void scrapeWithoutInfoHashMeansAllTorrents() {
        WsRequest r = codec.parse("{\"action\":\"scrape\"}");

        assertThat(r).isEqualTo(new WsRequest.Scrape(null));
    }

    @Test
    void scrapeWithNullInfoHashMeansAllTorrents() {
        WsRequest r = codec.parse("{\"action\":\"scrape\",\"info_hash\":null}");

        assertThat(r).isEqualTo(new WsRequest.Scrape(null));
    }

    @Test
    void keepAliveScrapeOfAnEmptyListIsAnEmptyList() {
        WsRequest r = codec.parse("{\"action\":\"scrape\",\"info_hash\":[]}");

        assertThat(r).isEqualTo(new WsRequest.Scrape(List.of()));
    }

    static String[] hashes(int count) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = latin1(i);
        }
        return out;
    }

    @Test
    void scrapeOfExactlyMaxScrapeHashesIsAccepted() {
        WsRequest r = parse(scrape(hashes(MAX_SCRAPE)));

        assertThat(((WsRequest.Scrape) r).infoHashes()).hasSize(MAX_SCRAPE);
    }

    @Test
    void scrapeOfMoreThanMaxScrapeHashesIsInvalidAndNamesTheLimit() {
        WsRequest r = parse(scrape(hashes(MAX_SCRAPE + 1)));

        assertThat(r).isEqualTo(invalid(
                "too many info_hash values in one scrape (at most " + MAX_SCRAPE + ")", "scrape", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "xxxxxxxxxxxxxxxxxxxxx", "\u20ACxxxxxxxxxxxxxxxxxxx"})
    void scrapeListWithABadInfoHashIsInvalid(String bad) {
        WsRequest r = parse(scrape(latin1(0xE0), bad, latin1(0x00)));

        assertThat(r).isEqualTo(invalid("invalid info_hash", "scrape", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "null", "[]", "{}"})
    void scrapeListWithANonStringElementIsInvalid(String element) {
        String text = "{\"action\":\"scrape\",\"info_hash\":[\"" + latin1(0x41) + "\"," + element + "]}";

        assertThat(codec.parse(text)).isEqualTo(invalid("invalid info_hash", "scrape", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "xxxxxxxxxxxxxxxxxxxxx"})
    void scrapeOfASingleBadStringIsInvalid(String bad) {
        WsRequest r = parse(JSON.createObjectNode().put("action", "scrape").put("info_hash", bad));

        assertThat(r).isEqualTo(invalid("invalid info_hash", "scrape", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "{}", "true"})
    void scrapeInfoHashOfTheWrongTypeIsInvalid(String value) {
        WsRequest r = codec.parse("{\"action\":\"scrape\",\"info_hash\":" + value + "}");

        assertThat(r).isEqualTo(invalid("invalid info_hash", "scrape", null));
    }

    // ------------------------------------------------------------------ unreadable messages

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "{",
        "{\"action\":\"announce\"",
        "{\"action\":\"scrape\",\"info_hash\":[",
        "{\"action\":\"scrape\",\"info_hash\":\"abc",
        "{\"action\":\"scrape\"}}",
        "{\"action\":\"scrape\"} x",
        "{\"action\":\"scrape\"}{}",
        "{\"action\":\"scrape\"}[]",
        "{\"action\":'scrape'}",
        "{action:\"scrape\"}",
        "{\"action\":\"scrape\",}",
        "{\"action\" \"scrape\"}",
        "[]",
        "[{\"action\":\"scrape\"}]",
        "\"scrape\"",
        "42",
        "-1.5e3",
        "null",
        "true",
        "{\"action\":\"scrape\",\"info_hash\":\"\\uZZZZ\"}",
        "\u0000",
        "{\"action\":\"scrape\",\"x\":NaN}",
    })
    void unreadableMessageIsInvalidWithoutActionOrInfoHash(String text) {
        WsRequest r = codec.parse(text);

        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
        WsRequest.Invalid bad = (WsRequest.Invalid) r;
        assertThat(bad.reason()).isNotBlank();
        assertThat(bad.action()).isNull();
        assertThat(bad.infoHash()).isNull();
    }

    @Test
    void truncatedAnnounceWithOffersIsInvalid() {
        String full = withOffers(announce(INFO_HASH, PEER_ID), 5, 0x40).toString();

        for (int cut = 0; cut < full.length(); cut += 7) {
            WsRequest r = codec.parse(full.substring(0, cut));
            assertThat(r).as("cut at %d", cut).isInstanceOf(WsRequest.Invalid.class);
        }
    }

    @Test
    void missingActionIsInvalidWithoutAction() {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.remove("action");

        assertThat(parse(msg)).isEqualTo(invalid("invalid action", null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"connect\"", "\"Announce\"", "\"\"", "null"})
    void unknownActionIsInvalidWithoutAction(String action) throws Exception {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.set("action", JSON.readTree(action));

        assertThat(parse(msg)).isEqualTo(invalid("invalid action", null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "[\"announce\"]", "{\"announce\":true}", "true"})
    void actionThatIsNotAStringIsInvalidWithoutAction(String action) throws Exception {
        ObjectNode msg = announce(INFO_HASH, PEER_ID);
        msg.set("action", JSON.readTree(action));

        WsRequest r = parse(msg);

        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
        assertThat(((WsRequest.Invalid) r).action()).isNull();
    }

    @Test
    void tenThousandNestedArraysInAnUnknownFieldAreInvalidNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String text = "{\"action\":\"scrape\",\"x\":" + deep + "}";

        WsRequest r = codec.parse(text);

        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
    }

    @Test
    void tenThousandNestedObjectsInsideAnOfferAreInvalidNotAStackOverflow() {
        String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        String text = "{\"action\":\"announce\",\"info_hash\":\"" + latin1(0x41) + "\",\"peer_id\":\""
                + latin1(0x30) + "\",\"offers\":[{\"offer_id\":\"" + latin1(0x50) + "\",\"offer\":" + deep + "}]}";

        WsRequest r = codec.parse(text);

        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
    }

    @Test
    void unclosedDeepNestingIsInvalid() {
        WsRequest r = codec.parse("{\"action\":\"scrape\",\"x\":" + "[".repeat(100_000));

        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
    }

    // ------------------------------------------------------------------ what an Invalid echoes

    @Test
    void invalidOfAReadableRequestEchoesItsActionAndInfoHash() {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put("peer_id", "short"));

        assertThat(r).isEqualTo(invalid("invalid peer_id", "announce", INFO_HASH));
    }

    @Test
    void invalidInfoHashIsNotEchoed() {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put("info_hash", "x".repeat(21)));

        assertThat(r).isEqualTo(invalid("invalid info_hash", "announce", null));
    }

    @Test
    void invalidOfAnUnknownActionEchoesNeitherActionNorInfoHash() {
        WsRequest r = parse(announce(INFO_HASH, PEER_ID).put("action", "connect").put("peer_id", 5));

        assertThat(r).isInstanceOf(WsRequest.Invalid.class);
        assertThat(((WsRequest.Invalid) r).action()).isNull();
        assertThat(new String(codec.failure(((WsRequest.Invalid) r).reason(), ((WsRequest.Invalid) r).action(),
                ((WsRequest.Invalid) r).infoHash()), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\"action\"").doesNotContain("info_hash");
    }

    @Test
    void invalidEchoesTheSameActionAndInfoHashWhateverTheFieldOrder() {
        // JSON members are unordered: a bad member read before action and info_hash must not hide them.
        String head = "\"action\":\"announce\",\"info_hash\":\"" + latin1(0xE0) + "\",\"peer_id\":\"" + latin1(0x30) + "\"";
        String bad = "\"left\":\"unknown\"";

        WsRequest actionFirst = codec.parse("{" + head + "," + bad + "}");
        WsRequest badFirst = codec.parse("{" + bad + "," + head + "}");

        assertThat(actionFirst).isEqualTo(invalid("invalid left", "announce", INFO_HASH));
        assertThat(badFirst).isEqualTo(actionFirst);
    }

    @Test
    void invalidCounterInWebtorrentFieldOrderStillEchoesActionAndInfoHash() {
        // webtorrent writes numwant, uploaded, downloaded, left and event before action and info_hash.
        // A failure without action makes its client drop the socket (and every torrent on it).
        ObjectNode msg = announce(INFO_HASH, PEER_ID).put("uploaded", "12");

        assertThat(fieldNamesOf(msg).indexOf("uploaded")).isLessThan(fieldNamesOf(msg).indexOf("action"));
        assertThat(parse(msg)).isEqualTo(invalid("invalid uploaded", "announce", INFO_HASH));
    }

    static List<String> fieldNamesOf(ObjectNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void tooLargeOfferBeforeTheActionIsLeftOutAndTheAnnounceServed() {
        WsCodec small = new WsCodec(MAX_OFFERS, 1024, MAX_SCRAPE);
        String offers = "\"offers\":[{\"offer_id\":\"" + latin1(0x40) + "\",\"offer\":" + offerOfSize(2000) + "}]";
        String head = "\"action\":\"announce\",\"info_hash\":\"" + latin1(0xE0) + "\",\"peer_id\":\"" + latin1(0x30) + "\"";

        droppedOffers(small.parse("{" + offers + "," + head + "}"), 0, 1, "offer is too large (at most 1024 bytes)");
    }
}
