package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two peers never get each other's offers at the same time (WebTorrent would drop both connections). */
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
    void aPeerWaitingForAnAnswerFromAnotherGetsNoOfferFromIt() throws Exception {
        Tracker t = new Tracker(TrackerConfig.defaults());
        List<Signal> toA = new ArrayList<>();
        List<Signal> toB = new ArrayList<>();
        Session a = t.openSession(toA::add, InetAddress.getByName("127.0.0.1"));
        Session b = t.openSession(toB::add, InetAddress.getByName("127.0.0.1"));
        t.announce(new AnnounceRequest(id(99), id(1), Event.STARTED, 0, 0, 0, 0, List.of(), a, a.address(), 0));

        t.announce(announce(b, id(2), id(50)));
        assertThat(toA).hasSize(1); // B's offer reached A; A now owes B an answer

        t.announce(announce(a, id(1), id(51)));
        assertThat(toB).as("A's offer is held back while B waits for A's answer").isEmpty();

        assertThat(t.answer(new AnswerRequest(id(99), id(1), id(2), id(50), "{\"type\":\"answer\"}", a))).isNull();
        t.announce(announce(a, id(1), id(52)));
        assertThat(toB).hasSize(2).last().isInstanceOf(Signal.Offer.class); // the answer, then A's new offer
    }
}
