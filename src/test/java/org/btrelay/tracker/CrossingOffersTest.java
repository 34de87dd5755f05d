package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Glare is the clients' to resolve: a peer whose offer to another still waits for an answer gets
 * that other peer's offers all the same (trystero's smaller id never answers while its own offer is
 * out, so the larger one must receive the smaller one's offers), and both answers are routed.
 */
class CrossingOffersTest {
    static Id20 id(int n) {
        byte[] b = new byte[20];
        b[19] = (byte) n;
        return Id20.of(b);
    }

    static AnnounceRequest announce(Session s, Id20 peer, Id20 offerId) {
        return new AnnounceRequest(id(99), peer, Event.STARTED, 0, 0, 0, 0,
                List.of(new OfferPayload(offerId, "{\"type\":\"offer\",\"sdp\":\"x\"}")), s, s.address(), 0);
    }

    @Test
    void aPeerWaitingForAnAnswerFromAnotherStillGetsItsOffers() throws Exception {
        Tracker t = new Tracker(TrackerConfig.defaults());
        List<Signal> toA = new ArrayList<>();
        List<Signal> toB = new ArrayList<>();
        Session a = t.openSession(toA::add, InetAddress.getByName("127.0.0.1"));
        Session b = t.openSession(toB::add, InetAddress.getByName("127.0.0.1"));
        t.announce(new AnnounceRequest(id(99), id(1), Event.STARTED, 0, 0, 0, 0, List.of(), a, a.address(), 0));

        t.announce(announce(b, id(2), id(50)));
        assertThat(toA).singleElement().isInstanceOf(Signal.Offer.class); // B's offer reached A

        t.announce(announce(a, id(1), id(51)));
        assertThat(toB).as("A's offer reaches B although B waits for A's answer").singleElement()
                .satisfies(s -> {
                    assertThat(s).isInstanceOf(Signal.Offer.class);
                    assertThat(s.offerId()).isEqualTo(id(51));
                    assertThat(s.fromPeerId()).isEqualTo(id(1));
                });
        assertThat(t.stats().snapshot().offersForwarded()).isEqualTo(2);

        // Either side may answer; each answer is routed to the peer that made the offer.
        assertThat(t.answer(new AnswerRequest(id(99), id(2), id(1), id(51), "{\"type\":\"answer\"}", b))).isNull();
        assertThat(toA).hasSize(2).last().isInstanceOf(Signal.Answer.class);
        assertThat(t.answer(new AnswerRequest(id(99), id(1), id(2), id(50), "{\"type\":\"answer\"}", a))).isNull();
        assertThat(toB).hasSize(2).last().isInstanceOf(Signal.Answer.class);
    }

    @Test
    void everyOfferGoesToADistinctOtherPeerUpToTheNumberOfOffers() throws Exception {
        Tracker t = new Tracker(TrackerConfig.defaults());
        List<List<Signal>> inboxes = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Signal> inbox = new ArrayList<>();
            inboxes.add(inbox);
            Session s = t.openSession(inbox::add, InetAddress.getByName("127.0.0.1"));
            sessions.add(s);
            t.announce(new AnnounceRequest(id(99), id(i + 1), Event.STARTED, 0, 0, 0, 0, List.of(), s, s.address(), 0));
        }
        // Every peer announces 10 offers in turn, each one while the others' offers to it are pending.
        for (int i = 0; i < 10; i++) {
            List<OfferPayload> offers = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                offers.add(new OfferPayload(id(100 + 10 * i + k), "{\"type\":\"offer\"}"));
            }
            Session s = sessions.get(i);
            t.announce(new AnnounceRequest(id(99), id(i + 1), Event.UPDATE, 0, 0, 0, 0, offers, s, s.address(), 0));
        }
        // 9 other peers each time: 9 offers forwarded per announce, as the reference does.
        assertThat(t.stats().snapshot().offersForwarded()).isEqualTo(90);
        for (int i = 0; i < 10; i++) {
            assertThat(inboxes.get(i)).as("peer %d got one offer from each other peer", i + 1).hasSize(9)
                    .extracting(Signal::fromPeerId).doesNotHaveDuplicates().doesNotContain(id(i + 1));
        }
    }
}
