package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.btrelay.tracker.TrackerHarness.TORRENT;
import static org.btrelay.tracker.TrackerHarness.ip;
import static org.btrelay.tracker.TrackerHarness.offerPayloads;
import static org.btrelay.tracker.TrackerHarness.peer;
import static org.btrelay.tracker.TrackerHarness.torrent;

import org.btrelay.tracker.TrackerHarness.Client;
import org.btrelay.tracker.TrackerHarness.LimitsBuilder;
import org.btrelay.tracker.TrackerHarness.RecordingChannel;
import org.junit.jupiter.api.Test;

class TrackerLimitsTest {

    private static TrackerHarness with(LimitsBuilder limits) {
        return TrackerHarness.withLimits(limits);
    }

    // ---------------------------------------------------------------- connections

    @Test
    void connectionsBeyondTheTotalAreRefusedWithAReason() throws Exception {
        TrackerHarness h = with(LimitsBuilder.defaults().maxConnections(2));
        Client a = h.connect("127.0.0.1");
        h.connect("127.0.0.2");

        assertThatThrownBy(() -> h.tracker.openSession(new RecordingChannel(), ip("127.0.0.3")))
                .isInstanceOf(TrackerRefusal.class)
                .hasMessage("too many connections to this relay");
        assertThat(h.stats().connections()).isEqualTo(2);

        h.close(a);
        assertThat(h.tracker.openSession(new RecordingChannel(), ip("127.0.0.3"))).isNotNull();
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreRefusedWithAReason() throws Exception {
        TrackerHarness h = with(LimitsBuilder.defaults().maxConnectionsPerIp(2));
        h.connect("192.0.2.1");
        h.connect("192.0.2.1");

        assertThatThrownBy(() -> h.tracker.openSession(new RecordingChannel(), ip("192.0.2.1")))
                .isInstanceOf(TrackerRefusal.class)
                .hasMessage("too many connections from 192.0.2.1");
        assertThat(h.connect("192.0.2.2").session()).as("another address is still welcome").isNotNull();
        assertThat(h.stats().connections()).isEqualTo(3);
    }

    @Test
    void aRefusedConnectionTakesNoSlot() throws Exception {
        TrackerHarness h = with(LimitsBuilder.defaults().maxConnections(3).maxConnectionsPerIp(1));
        Client a = h.connect("192.0.2.1");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> h.tracker.openSession(new RecordingChannel(), ip("192.0.2.1")))
                    .isInstanceOf(TrackerRefusal.class);
        }

        h.connect("192.0.2.2");
        h.connect("192.0.2.3");
        h.close(a);

        assertThat(h.connect("192.0.2.1").session()).isNotNull();
    }

    @Test
    void aConnectionRefusedForTheTotalDoesNotUseUpItsAddressSlot() throws Exception {
        TrackerHarness h = with(LimitsBuilder.defaults().maxConnections(1).maxConnectionsPerIp(1));
        Client a = h.connect("192.0.2.5");
        assertThatThrownBy(() -> h.tracker.openSession(new RecordingChannel(), ip("192.0.2.6")))
                .hasMessage("too many connections to this relay");

        h.close(a);

        assertThat(h.connect("192.0.2.6").session()).isNotNull();
    }

    // ---------------------------------------------------------------- torrents per connection

    @Test
    void aConnectionCannotJoinMoreTorrentsThanItsLimit() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxSwarmsPerConnection(2));
        Client c = h.connect();
        h.announce(c, torrent(1), peer(1), Event.STARTED, 10);
        h.announce(c, torrent(2), peer(1), Event.STARTED, 10);

        AnnounceResult third = h.announce(c, torrent(3), peer(1), Event.STARTED, 10);

        assertThat(third.failure()).isEqualTo("too many torrents on one connection (at most 2)");
        assertThat(h.counts(torrent(3))).isEqualTo(SwarmCounts.EMPTY);
        assertThat(c.session().torrentCount()).isEqualTo(2);
        assertThat(h.announce(c, torrent(2), peer(1), Event.UPDATE, 0).ok()).as("a joined torrent").isTrue();
        assertThat(h.announce(h.connect("127.0.0.2"), torrent(3), peer(2), Event.STARTED, 10).ok())
                .as("another connection").isTrue();
    }

    @Test
    void leavingATorrentMakesRoomForAnother() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxSwarmsPerConnection(2));
        Client c = h.connect();
        h.announce(c, torrent(1), peer(1), Event.STARTED, 10);
        h.announce(c, torrent(2), peer(1), Event.STARTED, 10);
        h.announce(c, torrent(1), peer(1), Event.STOPPED, 10);

        assertThat(h.announce(c, torrent(3), peer(1), Event.STARTED, 10).ok()).isTrue();
    }

    @Test
    void twoPeerIdsInOneTorrentUseTwoOfTheConnectionsSlots() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxSwarmsPerConnection(2));
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 10);
        h.announce(c, peer(2), Event.STARTED, 10);

        assertThat(h.announce(c, torrent(9), peer(1), Event.STARTED, 10).ok()).isFalse();
    }

    // ---------------------------------------------------------------- peers per torrent

    @Test
    void aTorrentTakesNoMorePeersThanItsLimit() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxPeersPerTorrent(2));
        Client a = h.connect("127.0.0.1");
        h.announce(a, peer(1), Event.STARTED, 10);
        h.http("10.0.0.2", peer(2), Event.STARTED, 10);

        AnnounceResult ws = h.announce(h.connect("127.0.0.3"), peer(3), Event.STARTED, 10);
        AnnounceResult http = h.http("10.0.0.4", peer(4), Event.STARTED, 10);

        assertThat(ws.failure()).isEqualTo("this torrent has too many peers on this relay");
        assertThat(http.failure()).isEqualTo("this torrent has too many peers on this relay");
        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 2, 0));
        assertThat(h.announce(a, peer(1), Event.UPDATE, 0).ok()).as("members can still announce").isTrue();

        h.announce(a, peer(1), Event.STOPPED, 0);
        assertThat(h.http("10.0.0.4", peer(4), Event.STARTED, 10).ok()).as("room after one left").isTrue();
    }

    @Test
    void aPeerRefusedForAFullTorrentDoesNotUseAConnectionSlot() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxPeersPerTorrent(2));
        h.http("10.0.0.1", peer(1), Event.STARTED, 10);
        h.http("10.0.0.2", peer(2), Event.STARTED, 10);
        Client c = h.connect();

        h.announce(c, peer(3), Event.STARTED, 10);

        assertThat(c.session().torrentCount()).isZero();
    }

    // ---------------------------------------------------------------- torrents

    @Test
    void theRelayTracksNoMoreTorrentsThanItsLimit() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxTorrents(2));
        Client c = h.connect();
        h.announce(c, torrent(1), peer(1), Event.STARTED, 10);
        h.http("10.0.0.1", torrent(2), peer(2), Event.STARTED, 10, 6881, 50);

        AnnounceResult ws = h.announce(c, torrent(3), peer(1), Event.STARTED, 10);
        AnnounceResult http = h.http("10.0.0.1", torrent(3), peer(2), Event.STARTED, 10, 6881, 50);
        AnnounceResult stop = h.announce(c, torrent(3), peer(1), Event.STOPPED, 10);

        assertThat(ws.failure()).isEqualTo("this relay tracks too many torrents");
        assertThat(http.failure()).isEqualTo("this relay tracks too many torrents");
        assertThat(stop.ok()).as("leaving an unknown torrent is not refused").isTrue();
        assertThat(h.stats().torrents()).isEqualTo(2);
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).containsOnlyKeys(torrent(1), torrent(2));
        assertThat(h.announce(c, torrent(1), peer(1), Event.UPDATE, 0).ok()).as("known torrents still work").isTrue();
    }

    @Test
    void aPrunedTorrentFreesItsPlaceForANewOne() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxTorrents(1));
        Client c = h.connect();
        h.announce(c, torrent(1), peer(1), Event.STARTED, 10);
        h.announce(c, torrent(1), peer(1), Event.STOPPED, 10);
        assertThat(h.announce(c, torrent(2), peer(1), Event.STARTED, 10).ok()).as("before the sweep").isFalse();

        h.tracker.sweep();

        assertThat(h.announce(c, torrent(2), peer(1), Event.STARTED, 10).ok()).isTrue();
    }

    // ---------------------------------------------------------------- offers and peers handed out

    @Test
    void noMoreOffersAreForwardedThanTheCap() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxOffersPerAnnounce(3));
        RecordingChannel[] channels = new RecordingChannel[10];
        for (int i = 0; i < 10; i++) {
            Client c = h.connect("127.0.0." + (i + 1));
            channels[i] = c.channel();
            h.announce(c, peer(i), Event.STARTED, 10);
        }

        h.announce(h.connect("127.0.1.1"), peer(50), Event.STARTED, 10, offerPayloads(1, 5));

        int delivered = 0;
        for (RecordingChannel ch : channels) {
            delivered += ch.offers().size();
        }
        assertThat(delivered).isEqualTo(3);
    }

    @Test
    void aCapOfZeroOffersForwardsNone() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxOffersPerAnnounce(0));
        Client other = h.connect("127.0.0.1");
        h.announce(other, peer(1), Event.STARTED, 10);

        AnnounceResult r = h.announce(h.connect("127.0.0.2"), peer(2), Event.STARTED, 10, offerPayloads(1, 5));

        assertThat(r.ok()).isTrue();
        assertThat(other.signals()).isEmpty();
    }

    @Test
    void httpPeersHandedOutAreCappedByNumWant() {
        TrackerHarness h = new TrackerHarness();
        for (int i = 1; i <= 250; i++) {
            h.http("10.1." + (i / 200) + "." + (i % 200), TORRENT, peer(i), Event.STARTED, 10, 6881, 0);
        }
        int maxNumWant = Limits.DEFAULTS.maxNumWant();

        AnnounceResult r = h.http("10.2.0.1", TORRENT, peer(999), Event.STARTED, 10, 6881, maxNumWant);

        assertThat(r.peers()).hasSize(maxNumWant);
        assertThat(r.peers()).extracting(PeerAddress::peerId).doesNotHaveDuplicates().doesNotContain(peer(999));
    }

    // ---------------------------------------------------------------- admission of new peers

    @Test
    void aRefusingAdmissionKeepsNewWebSocketPeersOutButLetsMembersAnnounce() {
        TrackerHarness h = new TrackerHarness();
        Client member = h.connect("127.0.0.1");
        h.announce(member, peer(1), Event.STARTED, 10);
        h.tracker.setAdmission(() -> "this relay is full");

        Client newcomer = h.connect("127.0.0.2");
        AnnounceResult refused = h.announce(newcomer, peer(2), Event.STARTED, 10);
        AnnounceResult update = h.announce(member, peer(1), Event.COMPLETED, 0);

        assertThat(refused.failure()).isEqualTo("this relay is full");
        assertThat(newcomer.session().torrentCount()).as("no connection slot used").isZero();
        assertThat(update.ok()).isTrue();
        assertThat(h.counts()).isEqualTo(new SwarmCounts(1, 0, 1));

        h.tracker.setAdmission(() -> null);
        assertThat(h.announce(newcomer, peer(2), Event.STARTED, 10).ok()).isTrue();
    }

    @Test
    void aRefusingAdmissionDoesNotApplyToHttpPeers() {
        TrackerHarness h = new TrackerHarness();
        h.tracker.setAdmission(() -> "this relay is full");

        assertThat(h.http("10.0.0.1", peer(1), Event.STARTED, 10).ok()).isTrue();
    }

    @Test
    void refusalsAreCountedInTheStats() {
        TrackerHarness h = with(LimitsBuilder.defaults().maxPeersPerTorrent(2));
        h.http("10.0.0.1", peer(1), Event.STARTED, 10);
        h.http("10.0.0.2", peer(2), Event.STARTED, 10);

        h.http("10.0.0.3", peer(3), Event.STARTED, 10);
        h.http("10.0.0.4", peer(4), Event.STARTED, 10);

        assertThat(h.stats().refusals()).isEqualTo(2);
    }
}
