package org.btrelay.tracker.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.ws.WsMessages.JSON;
import static org.btrelay.tracker.ws.WsMessages.id;
import static org.btrelay.tracker.ws.WsMessages.sdp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.Signal;
import org.btrelay.tracker.SwarmCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@link WsCodec} writes, read back by Jackson as a client would. */
class WsCodecWriteTest {
    final WsCodec codec = new WsCodec(Limits.DEFAULTS.maxOffersPerAnnounce(), Limits.DEFAULTS.maxSdpBytes(),
            Limits.DEFAULTS.maxScrapeHashes());

    static JsonNode read(byte[] json) throws Exception {
        return JSON.readTree(json);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Ids whose bytes, together, are every value 0..255. */
    static IntStream firstBytesCoveringAll256() {
        return IntStream.iterate(0, i -> i < 256, i -> i + 20);
    }

    @Test
    void announceReplyHasExactlyTheReferenceFields() throws Exception {
        JsonNode n = read(codec.announceReply(id(0xE0), 3, 7, 120));

        assertThat(fieldNames(n)).containsExactlyInAnyOrder("action", "interval", "complete", "incomplete", "info_hash");
        assertThat(n.get("action").asText()).isEqualTo("announce");
        assertThat(n.get("interval").isInt()).isTrue();
        assertThat(n.get("interval").asInt()).isEqualTo(120);
        assertThat(n.get("complete").asInt()).isEqualTo(3);
        assertThat(n.get("incomplete").asInt()).isEqualTo(7);
        assertThat(Id20.fromLatin1(n.get("info_hash").asText())).isEqualTo(id(0xE0));
    }

    @Test
    void offerSignalHasExactFieldSetAndEmbedsTheOfferAsAnObject() throws Exception {
        ObjectNode offer = sdp("offer", 3);
        Signal s = new Signal.Offer(id(0xE0), id(0x00), id(0x80), offer.toString());

        JsonNode n = read(codec.signal(s));

        assertThat(fieldNames(n)).containsExactlyInAnyOrder("action", "offer", "offer_id", "peer_id", "info_hash");
        assertThat(n.get("action").asText()).isEqualTo("announce");
        assertThat(n.get("offer").isObject()).isTrue();
        assertThat(n.get("offer")).isEqualTo(offer);
        assertThat(Id20.fromLatin1(n.get("offer_id").asText())).isEqualTo(id(0x80));
        assertThat(Id20.fromLatin1(n.get("peer_id").asText())).isEqualTo(id(0x00));
        assertThat(Id20.fromLatin1(n.get("info_hash").asText())).isEqualTo(id(0xE0));
    }

    @Test
    void answerSignalHasExactFieldSetAndEmbedsTheAnswerAsAnObject() throws Exception {
        ObjectNode answer = sdp("answer", 4);
        Signal s = new Signal.Answer(id(0xE0), id(0x10), id(0x90), answer.toString());

        JsonNode n = read(codec.signal(s));

        assertThat(fieldNames(n)).containsExactlyInAnyOrder("action", "answer", "offer_id", "peer_id", "info_hash");
        assertThat(n.get("action").asText()).isEqualTo("announce");
        assertThat(n.get("answer").isObject()).isTrue();
        assertThat(n.get("answer")).isEqualTo(answer);
        assertThat(Id20.fromLatin1(n.get("offer_id").asText())).isEqualTo(id(0x90));
        assertThat(Id20.fromLatin1(n.get("peer_id").asText())).isEqualTo(id(0x10));
        assertThat(Id20.fromLatin1(n.get("info_hash").asText())).isEqualTo(id(0xE0));
    }

    @Test
    void parsedOfferIsForwardedAsTheSameObject() throws Exception {
        ObjectNode msg = WsMessages.withOffers(WsMessages.announce(id(0xE0), id(0x00)), 1, 0x80);
        WsRequest.Announce a = (WsRequest.Announce) codec.parse(msg.toString());

        JsonNode n = read(codec.signal(
                new Signal.Offer(a.infoHash(), a.peerId(), a.offers().get(0).offerId(), a.offers().get(0).sdpJson())));

        assertThat(n.get("offer")).isEqualTo(msg.get("offers").get(0).get("offer"));
        assertThat(n.get("offer_id")).isEqualTo(msg.get("offers").get(0).get("offer_id"));
    }

    @Test
    void scrapeReplyKeysFilesByLatin1InfoHashAndSetsMinRequestInterval() throws Exception {
        Map<Id20, SwarmCounts> files = new LinkedHashMap<>();
        files.put(id(0xE0), new SwarmCounts(1, 2, 3));
        files.put(id(0x00), new SwarmCounts(0, 0, 0));
        files.put(id(0x80), new SwarmCounts(40_000, 50_000, 60_000));

        JsonNode n = read(codec.scrapeReply(files, 600));

        assertThat(fieldNames(n)).containsExactlyInAnyOrder("action", "files", "flags");
        assertThat(n.get("action").asText()).isEqualTo("scrape");
        assertThat(n.get("flags")).isEqualTo(JSON.createObjectNode().put("min_request_interval", 600));
        JsonNode f = n.get("files");
        assertThat(fieldNames(f)).extracting(Id20::fromLatin1).containsExactlyInAnyOrder(id(0xE0), id(0x00), id(0x80));
        assertThat(f.get(id(0xE0).toLatin1()))
                .isEqualTo(JSON.createObjectNode().put("complete", 1).put("incomplete", 2).put("downloaded", 3));
        assertThat(f.get(id(0x80).toLatin1())).isEqualTo(
                JSON.createObjectNode().put("complete", 40_000).put("incomplete", 50_000).put("downloaded", 60_000));
        assertThat(f.get(id(0x00).toLatin1()))
                .isEqualTo(JSON.createObjectNode().put("complete", 0).put("incomplete", 0).put("downloaded", 0));
    }

    @Test
    void scrapeReplyOfNoTorrentsHasAnEmptyFilesObject() throws Exception {
        JsonNode n = read(codec.scrapeReply(Map.of(), 120));

        assertThat(n.get("files").isObject()).isTrue();
        assertThat(n.get("files").size()).isZero();
        assertThat(n.get("flags").get("min_request_interval").asInt()).isEqualTo(120);
    }

    @Test
    void failureOfARefusedRequestCarriesActionReasonAndInfoHash() throws Exception {
        JsonNode n = read(codec.failure("Could not find the offer", "announce", id(0xE0)));

        assertThat(fieldNames(n)).containsExactlyInAnyOrder("action", "failure reason", "info_hash");
        assertThat(n.get("action").asText()).isEqualTo("announce");
        assertThat(n.get("failure reason").asText()).isEqualTo("Could not find the offer");
        assertThat(Id20.fromLatin1(n.get("info_hash").asText())).isEqualTo(id(0xE0));
    }

    @Test
    void failureWithActionButNoInfoHashCarriesActionAndReason() throws Exception {
        JsonNode n = read(codec.failure("invalid info_hash", "scrape", null));

        assertThat(fieldNames(n)).containsExactlyInAnyOrder("action", "failure reason");
        assertThat(n.get("action").asText()).isEqualTo("scrape");
    }

    @Test
    void failureWithoutActionCarriesOnlyTheReason() throws Exception {
        JsonNode n = read(codec.failure("malformed JSON", null, id(0xE0)));

        assertThat(fieldNames(n)).containsExactly("failure reason");
        assertThat(n.get("failure reason").asText()).isEqualTo("malformed JSON");
    }

    @Test
    void failureReasonWithQuotesAndNonAsciiIsEscapedProperly() throws Exception {
        String reason = "bad \"offer\" \\ \u00e9\u20ac\n\u0001";

        assertThat(read(codec.failure(reason, null, null)).get("failure reason").asText()).isEqualTo(reason);
    }

    @ParameterizedTest
    @MethodSource("firstBytesCoveringAll256")
    void everyByteValueInIdsSurvivesWriteAndJsonParse(int first) throws Exception {
        Id20 hash = id(first);
        Id20 peer = id(first + 7);
        Id20 offerId = id(first + 13);

        JsonNode signal = read(codec.signal(new Signal.Offer(hash, peer, offerId, "{\"type\":\"offer\",\"sdp\":\"\"}")));
        JsonNode reply = read(codec.announceReply(hash, 0, 1, 120));
        JsonNode failure = read(codec.failure("x", "announce", hash));
        JsonNode scrape = read(codec.scrapeReply(Map.of(hash, SwarmCounts.EMPTY), 120));

        assertThat(Id20.fromLatin1(signal.get("info_hash").asText())).isEqualTo(hash);
        assertThat(Id20.fromLatin1(signal.get("peer_id").asText())).isEqualTo(peer);
        assertThat(Id20.fromLatin1(signal.get("offer_id").asText())).isEqualTo(offerId);
        assertThat(Id20.fromLatin1(reply.get("info_hash").asText())).isEqualTo(hash);
        assertThat(Id20.fromLatin1(failure.get("info_hash").asText())).isEqualTo(hash);
        assertThat(Id20.fromLatin1(scrape.get("files").fieldNames().next())).isEqualTo(hash);
    }

    @Test
    void writtenIdsParseBackThroughTheCodecItself() {
        for (int first = 0; first < 256; first += 20) {
            String reply = new String(codec.announceReply(id(first), 0, 0, 120), StandardCharsets.UTF_8);
            // Reuse the written info_hash in a client scrape: the codec reads what it writes.
            String scrape = reply.replace("\"action\":\"announce\"", "\"action\":\"scrape\"");

            assertThat(codec.parse(scrape)).isEqualTo(new WsRequest.Scrape(List.of(id(first))));
        }
    }

    @ParameterizedTest
    @MethodSource("firstBytesCoveringAll256")
    void announceReplyIsExactlyWhatJacksonWouldWrite(int first) throws Exception {
        for (int count : new int[] {0, 7, 10, 99, 120, 12_345, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
            byte[] written = codec.announceReply(id(first), count, count, 120);

            ObjectNode expected = JSON.createObjectNode().put("action", "announce").put("interval", 120)
                    .put("complete", count).put("incomplete", count).put("info_hash", id(first).toLatin1());
            assertThat(read(written)).isEqualTo(expected);
            assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("firstBytesCoveringAll256")
    void signalWithEveryIdByteReadsBack(int first) throws Exception {
        String offer = "{ \"type\": \"offer\", \"sdp\": \"é€😀\\r\\n\" }";
        byte[] written = codec.signal(new Signal.Offer(id(first), id(first + 7), id(first + 13), offer));

        JsonNode n = read(written);
        assertThat(Id20.fromLatin1(n.get("info_hash").asText())).isEqualTo(id(first));
        assertThat(Id20.fromLatin1(n.get("peer_id").asText())).isEqualTo(id(first + 7));
        assertThat(Id20.fromLatin1(n.get("offer_id").asText())).isEqualTo(id(first + 13));
        assertThat(new String(written, StandardCharsets.UTF_8)).startsWith("{\"action\":\"announce\",\"offer\":" + offer + ",");
    }
}
