package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.answer;
import static org.btrelay.web.WsClient.id;
import static org.btrelay.web.WsClient.withOffers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw WebSocket clients exchanging offers and answers through a real relay on loopback. */
class WebSocketTrackerTest {
    static final String TORRENT = id("torrent-1");

    RelayFixture relay;
    final List<WsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        relay = new RelayFixture();
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        relay.close();
    }

    WsClient connect() {
        WsClient c = new WsClient(relay.ws() + "announce");
        clients.add(c);
        return c;
    }

    @Test
    void malformedOffersAreLeftOutTheAnnounceIsAnsweredAndTheWellFormedOneIsForwarded() throws Exception {
        WsClient seeder = connect();
        seeder.send(announce(TORRENT, id("seeder"), 0, "started"));
        seeder.next();

        WsClient leecher = connect();
        // As bittorrent-tracker's own tests send them: placeholder objects beside a real offer.
        var msg = withOffers(announce(TORRENT, id("leecher"), 100, "started"), id("good-offer"));
        msg.withArray("offers").insertObject(0);
        msg.withArray("offers").addObject().put("offer_id", id("no-offer"));
        leecher.send(msg);
        JsonNode reply = leecher.next();
        assertThat(reply.has("failure reason")).isFalse();
        assertThat(reply.path("action").asText()).isEqualTo("announce");
        assertThat(reply.path("incomplete").asInt()).isEqualTo(1);
        assertThat(reply.path("warning message").asText()).isEqualTo("2 offers were not forwarded: invalid offer");

        JsonNode offer = seeder.next();
        assertThat(offer.path("offer_id").asText()).isEqualTo(id("good-offer"));
        assertThat(relay.statsJson().path("offersDropped").asInt()).isEqualTo(2);
    }

    @Test
    void offersReachOtherPeersAndAnswersReturnToTheOfferer() throws Exception {
        WsClient seeder = connect();
        seeder.send(announce(TORRENT, id("seeder"), 0, "started"));
        JsonNode reply = seeder.next();
        assertThat(reply.path("action").asText()).isEqualTo("announce");
        assertThat(reply.path("complete").asInt()).isEqualTo(1);
        assertThat(reply.path("incomplete").asInt()).isZero();
        assertThat(reply.path("interval").asInt()).isEqualTo(120);
        assertThat(reply.path("info_hash").asText()).isEqualTo(TORRENT);

        WsClient leecher = connect();
        leecher.send(withOffers(announce(TORRENT, id("leecher"), 100, "started"), id("offer-a"), id("offer-b")));
        JsonNode leecherReply = leecher.next();
        assertThat(leecherReply.path("complete").asInt()).isEqualTo(1);
        assertThat(leecherReply.path("incomplete").asInt()).isEqualTo(1);

        // One other peer, so exactly one of the two offers is forwarded, to the seeder.
        JsonNode offer = seeder.next();
        assertThat(offer.path("peer_id").asText()).isEqualTo(id("leecher"));
        assertThat(offer.path("offer_id").asText()).isEqualTo(id("offer-a"));
        assertThat(offer.path("info_hash").asText()).isEqualTo(TORRENT);
        assertThat(offer.path("offer").path("type").asText()).isEqualTo("offer");
        assertThat(seeder.poll(200)).isNull();

        seeder.send(answer(TORRENT, id("seeder"), id("leecher"), id("offer-a")));
        JsonNode answer = leecher.next();
        assertThat(answer.path("action").asText()).isEqualTo("announce");
        assertThat(answer.path("peer_id").asText()).isEqualTo(id("seeder"));
        assertThat(answer.path("offer_id").asText()).isEqualTo(id("offer-a"));
        assertThat(answer.path("answer").path("type").asText()).isEqualTo("answer");
        // The answerer gets no reply of its own.
        assertThat(seeder.poll(200)).isNull();
    }

    @Test
    void eachOfferGoesToADifferentPeerAndNeverBackToTheSender() throws Exception {
        List<WsClient> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WsClient c = connect();
            c.send(announce(TORRENT, id("peer-" + i), 0, "started"));
            c.next();
            others.add(c);
        }
        WsClient offerer = connect();
        offerer.send(withOffers(announce(TORRENT, id("offerer"), 10, "started"),
                id("o1"), id("o2"), id("o3"), id("o4"), id("o5")));
        assertThat(offerer.next().path("complete").asInt()).isEqualTo(3);
        Set<String> offerIds = new HashSet<>();
        for (WsClient c : others) {
            JsonNode offer = c.next();
            assertThat(offer.path("peer_id").asText()).isEqualTo(id("offerer"));
            offerIds.add(offer.path("offer_id").asText());
            assertThat(c.poll(100)).as("a peer gets one offer per announce").isNull();
        }
        assertThat(offerIds).hasSize(3);
        assertThat(offerer.poll(200)).as("no offer comes back to its sender").isNull();
    }

    @Test
    void answerWithoutAMatchingOfferIsRefused() throws Exception {
        WsClient a = connect();
        a.send(announce(TORRENT, id("a"), 0, "started"));
        a.next();
        WsClient b = connect();
        b.send(withOffers(announce(TORRENT, id("b"), 5, "started"), id("real-offer")));
        b.next();
        a.next();

        a.send(answer(TORRENT, id("a"), id("b"), id("made-up-offer")));
        JsonNode failure = a.next();
        assertThat(failure.path("failure reason").asText()).startsWith("Could not find the offer");
        assertThat(failure.path("action").asText()).isEqualTo("announce");
        assertThat(b.poll(200)).isNull();

        // The real answer still goes through, once.
        a.send(answer(TORRENT, id("a"), id("b"), id("real-offer")));
        assertThat(b.next().path("offer_id").asText()).isEqualTo(id("real-offer"));
        a.send(answer(TORRENT, id("a"), id("b"), id("real-offer")));
        assertThat(a.next().path("failure reason").asText()).startsWith("Could not find the offer");
    }

    @Test
    void anotherConnectionCannotSpeakForAPeerId() throws Exception {
        WsClient owner = connect();
        owner.send(announce(TORRENT, id("owner"), 0, "started"));
        owner.next();

        WsClient impostor = connect();
        impostor.send(announce(TORRENT, id("owner"), 0, "stopped"));
        JsonNode refused = impostor.next();
        assertThat(refused.path("failure reason").asText()).contains("another connection");

        // The owner is still in the swarm and still gets offers.
        WsClient third = connect();
        third.send(withOffers(announce(TORRENT, id("third"), 9, "started"), id("x")));
        assertThat(third.next().path("complete").asInt()).isEqualTo(1);
        assertThat(owner.next().path("offer_id").asText()).isEqualTo(id("x"));
    }

    @Test
    void closingASocketRemovesItsPeersFromEverySwarm() throws Exception {
        WsClient leaving = connect();
        for (int i = 0; i < 3; i++) {
            leaving.send(announce(id("t" + i), id("leaving"), 0, "started"));
            leaving.next();
        }
        WsClient staying = connect();
        staying.send(announce(id("t0"), id("staying"), 7, "started"));
        assertThat(staying.next().path("complete").asInt()).isEqualTo(1);

        leaving.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        JsonNode stats;
        do {
            Thread.sleep(20);
            stats = relay.statsJson();
        } while (stats.path("peersAll").asInt() != 1 && System.nanoTime() < deadline);
        assertThat(stats.path("peersAll").asInt()).isEqualTo(1);
        assertThat(stats.path("seeders").asInt()).isZero();

        staying.send(JsonMessages.scrape(id("t0"), id("t1")));
        JsonNode files = staying.next().path("files");
        assertThat(files.path(id("t0")).path("complete").asInt()).isZero();
        assertThat(files.path(id("t0")).path("incomplete").asInt()).isEqualTo(1);
        assertThat(files.path(id("t1")).path("complete").asInt()).isZero();
    }

    @Test
    void scrapeAcceptsAListAStringNothingAndTheEmptyKeepAlive() throws Exception {
        WsClient c = connect();
        c.send(announce(TORRENT, id("p"), 0, "started"));
        c.next();

        c.send(JsonMessages.scrape(TORRENT));
        JsonNode list = c.next();
        assertThat(list.path("action").asText()).isEqualTo("scrape");
        assertThat(list.path("files").path(TORRENT).path("complete").asInt()).isEqualTo(1);
        assertThat(list.path("flags").path("min_request_interval").asInt()).isEqualTo(120);

        c.sendText("{\"action\":\"scrape\",\"info_hash\":" + WsClient.JSON.writeValueAsString(TORRENT) + "}");
        assertThat(c.next().path("files").path(TORRENT).path("complete").asInt()).isEqualTo(1);

        c.sendText("{\"action\":\"scrape\"}");
        JsonNode all = c.next().path("files");
        assertThat(all.size()).isEqualTo(1);
        assertThat(all.path(TORRENT).path("complete").asInt()).isEqualTo(1);

        c.sendText("{\"action\":\"scrape\",\"info_hash\":[]}");
        JsonNode keepAlive = c.next();
        assertThat(keepAlive.path("action").asText()).isEqualTo("scrape");
        assertThat(keepAlive.path("files").size()).isZero();
    }

    @Test
    void badMessagesGetAFailureReasonAndTheConnectionCarriesOn() throws Exception {
        WsClient c = connect();
        WsClient bystander = connect();
        bystander.send(announce(TORRENT, id("bystander"), 0, "started"));
        bystander.next();

        c.sendText("{not json");
        JsonNode malformed = c.next();
        assertThat(malformed.path("failure reason").asText()).isEqualTo("malformed JSON");
        assertThat(malformed.has("action")).isFalse();

        c.sendText("{\"action\":\"announce\",\"info_hash\":\"short\",\"peer_id\":\"" + id("x") + "\"}");
        assertThat(c.next().path("failure reason").asText()).isEqualTo("invalid info_hash");

        c.sendText("{\"action\":\"announce\",\"info_hash\":\"" + TORRENT + "\"}");
        JsonNode noPeer = c.next();
        assertThat(noPeer.path("failure reason").asText()).isEqualTo("invalid peer_id");
        assertThat(noPeer.path("action").asText()).isEqualTo("announce");
        assertThat(noPeer.path("info_hash").asText()).isEqualTo(TORRENT);

        c.sendText("{\"action\":\"dance\"}");
        assertThat(c.next().path("failure reason").asText()).isEqualTo("invalid action");

        c.sendText("[1,2,3]");
        assertThat(c.next().path("failure reason").asText()).isEqualTo("message must be a JSON object");

        c.send(announce(TORRENT, id("fine"), 0, "started"));
        assertThat(c.next().path("complete").asInt()).isEqualTo(2);
        bystander.send(JsonMessages.scrape(TORRENT));
        assertThat(bystander.next().path("files").path(TORRENT).path("complete").asInt()).isEqualTo(2);
    }
}
