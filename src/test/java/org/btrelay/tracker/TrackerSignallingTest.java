package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.TrackerHarness.TORRENT;
import static org.btrelay.tracker.TrackerHarness.answerSdp;
import static org.btrelay.tracker.TrackerHarness.offer;
import static org.btrelay.tracker.TrackerHarness.offerPayload;
import static org.btrelay.tracker.TrackerHarness.offerPayloads;
import static org.btrelay.tracker.TrackerHarness.peer;
import static org.btrelay.tracker.TrackerHarness.torrent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.btrelay.tracker.TrackerHarness.Client;
import org.btrelay.tracker.TrackerHarness.LimitsBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrackerSignallingTest {
    private static final String NOT_FOUND_PREFIX = "Could not find the offer";

    private TrackerHarness h = new TrackerHarness();

    /** Peers 1..n, each on its own connection, joined to {@link TrackerHarness#TORRENT}. */
    private List<Client> join(int n) {
        List<Client> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Client c = h.connect("127.0.0." + i);
            assertThat(h.announce(c, peer(i), Event.STARTED, 10).ok()).isTrue();
            out.add(c);
        }
        return out;
    }

    private static int offersReceived(List<Client> clients) {
        return clients.stream().mapToInt(c -> c.channel().offers().size()).sum();
    }

    /** Which peer (1-based, as in {@link #join}) received the offer {@code offerId}. */
    private static int recipientOf(List<Client> clients, Id20 offerId) {
        int found = -1;
        for (int i = 0; i < clients.size(); i++) {
            for (Signal.Offer o : clients.get(i).channel().offers()) {
                if (o.offerId().equals(offerId)) {
                    assertThat(found).as("offer delivered once").isEqualTo(-1);
                    found = i + 1;
                }
            }
        }
        assertThat(found).as("offer %s was delivered", offerId).isPositive();
        return found;
    }

    // ---------------------------------------------------------------- offers

    @Test
    void eachOfferGoesToADifferentOtherPeerAndNeverBackToTheSender() {
        for (int round = 0; round < 50; round++) {
            h = new TrackerHarness();
            List<Client> clients = join(7);
            Client sender = clients.get(6);

            h.announce(sender, peer(7), Event.UPDATE, 10, offerPayloads(1, 5));

            assertThat(sender.signals()).isEmpty();
            Map<Integer, Id20> byRecipient = new HashMap<>();
            for (int o = 1; o <= 5; o++) {
                int to = recipientOf(clients, offer(o));
                assertThat(byRecipient.put(to, offer(o))).as("peer %d got two offers", to).isNull();
            }
            assertThat(byRecipient).hasSize(5).doesNotContainKey(7);
        }
    }

    @ParameterizedTest(name = "{0} offers, {1} other peers, cap {2} -> {3} forwarded")
    @CsvSource({
        "5, 10, 10, 5",
        "5,  3, 10, 3",
        "5, 10,  2, 2",
        "0, 10, 10, 0",
        "3,  0, 10, 0",
        "10, 10, 10, 10",
        "12, 30, 10, 10",
    })
    void theNumberOfOffersForwardedIsTheSmallestOfOffersPeersAndCap(int offers, int others, int cap, int expected) {
        h = TrackerHarness.withLimits(LimitsBuilder.defaults().maxOffersPerAnnounce(cap));
        List<Client> clients = join(others);
        Client sender = h.connect("127.0.1.1");

        AnnounceResult r = h.announce(sender, peer(999), Event.STARTED, 10, offerPayloads(1, offers));

        assertThat(r.ok()).isTrue();
        assertThat(offersReceived(clients)).isEqualTo(expected);
        assertThat(clients).allSatisfy(c -> assertThat(c.channel().offers()).hasSizeLessThanOrEqualTo(1));
        assertThat(sender.signals()).isEmpty();
        assertThat(h.stats().offersForwarded()).isEqualTo(expected);
    }

    @Test
    void httpPeersNeverReceiveOffers() {
        for (int i = 1; i <= 5; i++) {
            h.http("10.0.0." + i, peer(100 + i), Event.STARTED, 10);
        }
        List<Client> rtc = join(1);
        Client sender = h.connect("127.0.1.1");

        h.announce(sender, peer(50), Event.STARTED, 10, offerPayloads(1, 5));

        assertThat(rtc.get(0).channel().offers()).hasSize(1);
        assertThat(h.stats().offersForwarded()).isEqualTo(1);
    }

    @Test
    void anOfferReachesThePeerUnchanged() {
        List<Client> clients = join(1);
        Client sender = h.connect("127.0.1.1");
        String sdp = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 4611 2 IN IP4 127.0.0.1\\r\\n\\u00e9\"}";
        Id20 offerId = TrackerHarness.bytesId(0, 1, 0x7F, 0x80, 0xFF, 0x22, 0x5C);

        h.announce(sender, peer(50), Event.STARTED, 10, new OfferPayload(offerId, sdp));

        assertThat(clients.get(0).signals()).containsExactly(new Signal.Offer(TORRENT, peer(50), offerId, sdp));
    }

    @Test
    void anAnnounceWithOffersStillJoinsTheSender() {
        join(2);
        Client sender = h.connect("127.0.1.1");

        AnnounceResult r = h.announce(sender, peer(50), Event.STARTED, 0, offerPayloads(1, 5));

        assertThat(r.complete()).isEqualTo(1);
        assertThat(r.incomplete()).isEqualTo(2);
    }

    @Test
    void aPeerAloneInItsTorrentHasItsOffersDropped() {
        Client sender = h.connect();

        AnnounceResult r = h.announce(sender, peer(1), Event.STARTED, 10, offerPayloads(1, 5));

        assertThat(r.ok()).isTrue();
        assertThat(sender.signals()).isEmpty();
        assertThat(h.stats().offersForwarded()).isZero();
    }

    // ---------------------------------------------------------------- answers

    @Test
    void anAnswerIsRoutedToThePeerThatMadeTheOffer() {
        List<Client> clients = join(2);
        Client offerer = clients.get(0);
        Client answerer = clients.get(1);
        h.announce(offerer, peer(1), Event.UPDATE, 10, offerPayload(1));
        assertThat(answerer.channel().offers()).singleElement().extracting(Signal::offerId).isEqualTo(offer(1));

        String sdp = "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\\u00fc\"}";
        String failure = h.answer(answerer, TORRENT, peer(2), peer(1), offer(1), sdp);

        assertThat(failure).isNull();
        assertThat(offerer.signals()).containsExactly(new Signal.Answer(TORRENT, peer(2), offer(1), sdp));
        assertThat(answerer.channel().answers()).isEmpty();
        assertThat(h.stats().answersForwarded()).isEqualTo(1);
    }

    @Test
    void anAnswerWithAnUnknownOfferIdIsRefused() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));

        String failure = h.answer(clients.get(1), peer(2), peer(1), offer(2));

        assertThat(failure).startsWith(NOT_FOUND_PREFIX);
        assertThat(clients.get(0).channel().answers()).isEmpty();
    }

    @Test
    void anAnswerFromAPeerTheOfferWasNotSentToIsRefused() {
        List<Client> clients = join(3);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));
        int to = recipientOf(clients, offer(1));
        int other = to == 2 ? 3 : 2;

        String wrong = h.answer(clients.get(other - 1), peer(other), peer(1), offer(1));
        String right = h.answer(clients.get(to - 1), peer(to), peer(1), offer(1));

        assertThat(wrong).startsWith(NOT_FOUND_PREFIX);
        assertThat(right).as("the refused answer did not use up the offer").isNull();
        assertThat(clients.get(0).channel().answers()).singleElement().extracting(Signal::fromPeerId)
                .isEqualTo(peer(to));
    }

    @Test
    void anAnswerAddressedToAnotherPeerThanTheOffererIsRefused() {
        List<Client> clients = join(3);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));
        int to = recipientOf(clients, offer(1));
        int other = to == 2 ? 3 : 2;

        String failure = h.answer(clients.get(to - 1), peer(to), peer(other), offer(1));

        assertThat(failure).startsWith(NOT_FOUND_PREFIX);
        assertThat(clients.get(other - 1).channel().answers()).isEmpty();
    }

    @Test
    void aSecondAnswerToTheSameOfferIsRefused() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));

        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(1))).isNull();
        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(1))).startsWith(NOT_FOUND_PREFIX);
        assertThat(clients.get(0).channel().answers()).hasSize(1);
    }

    @Test
    void anAnswerAfterTheOfferTimedOutIsRefused() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));

        h.advanceSeconds(Limits.DEFAULTS.offerTimeoutSeconds() + 1);
        String failure = h.answer(clients.get(1), peer(2), peer(1), offer(1));

        assertThat(failure).startsWith(NOT_FOUND_PREFIX);
        assertThat(clients.get(0).channel().answers()).isEmpty();
    }

    @Test
    void anAnswerJustBeforeTheOfferTimesOutIsRouted() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));

        h.advanceSeconds(Limits.DEFAULTS.offerTimeoutSeconds() - 1);

        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(1))).isNull();
    }

    @Test
    void anAnswerForAnUnknownTorrentIsRefused() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));

        String failure = h.answer(clients.get(1), torrent(99), peer(2), peer(1), offer(1), answerSdp(offer(1)));

        assertThat(failure).startsWith(NOT_FOUND_PREFIX);
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).hasSize(1);
    }

    @Test
    void anAnswerToAPeerThatLeftIsRefused() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));
        h.announce(clients.get(0), peer(1), Event.STOPPED, 10);

        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(1))).startsWith(NOT_FOUND_PREFIX);
    }

    @Test
    void anAnswerFromAPeerThatIsNotInTheTorrentIsRefused() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));
        Client stranger = h.connect("127.0.2.1");

        assertThat(h.answer(stranger, peer(77), peer(1), offer(1))).startsWith(NOT_FOUND_PREFIX);
        assertThat(clients.get(0).channel().answers()).isEmpty();
    }

    @Test
    void anAnswerFromAConnectionThatDoesNotOwnTheAnsweringPeerIdIsRefused() {
        List<Client> clients = join(2);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(1));
        Client impostor = h.connect("127.0.2.1");

        String failure = h.answer(impostor, peer(2), peer(1), offer(1));

        assertThat(failure).isEqualTo("peer_id is in use by another connection");
        assertThat(clients.get(0).channel().answers()).isEmpty();
        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(1)))
                .as("the real answerer can still answer").isNull();
    }

    @Test
    void refusedAnswersAreCounted() {
        List<Client> clients = join(2);
        long before = h.stats().refusals();

        h.answer(clients.get(1), peer(2), peer(1), offer(1));
        h.answer(clients.get(1), torrent(9), peer(2), peer(1), offer(1), "{}");

        assertThat(h.stats().refusals()).isEqualTo(before + 2);
        assertThat(h.stats().answersForwarded()).isZero();
    }

    // ---------------------------------------------------------------- pending offers bounded

    @Test
    void pastTheBoundOfPendingOffersTheOldestAreForgotten() {
        h = TrackerHarness.withLimits(LimitsBuilder.defaults().maxPendingOffersPerPeer(3));
        List<Client> clients = join(2);
        for (int o = 1; o <= 5; o++) {
            h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayload(o));
        }
        assertThat(clients.get(1).channel().offers()).hasSize(5);

        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(1))).startsWith(NOT_FOUND_PREFIX);
        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(2))).startsWith(NOT_FOUND_PREFIX);
        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(5))).isNull();
        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(3))).isNull();
        assertThat(h.answer(clients.get(1), peer(2), peer(1), offer(4))).isNull();
    }

    @Test
    void offersFromOneAnnounceToManyPeersCanAllBeAnswered() {
        List<Client> clients = join(6);
        h.announce(clients.get(0), peer(1), Event.UPDATE, 10, offerPayloads(1, 5));

        for (int i = 2; i <= 6; i++) {
            Signal.Offer got = clients.get(i - 1).channel().offers().get(0);
            assertThat(h.answer(clients.get(i - 1), peer(i), peer(1), got.offerId())).isNull();
        }
        assertThat(clients.get(0).channel().answers()).extracting(Signal::fromPeerId)
                .containsExactlyInAnyOrder(peer(2), peer(3), peer(4), peer(5), peer(6));
    }
}
