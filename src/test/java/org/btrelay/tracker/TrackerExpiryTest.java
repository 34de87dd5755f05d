package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.btrelay.tracker.TrackerHarness.SECOND;
import static org.btrelay.tracker.TrackerHarness.TORRENT;
import static org.btrelay.tracker.TrackerHarness.offerPayload;
import static org.btrelay.tracker.TrackerHarness.peer;
import static org.btrelay.tracker.TrackerHarness.torrent;

import org.btrelay.tracker.TrackerHarness.Client;
import org.btrelay.tracker.TrackerHarness.LimitsBuilder;
import org.junit.jupiter.api.Test;

class TrackerExpiryTest {
    private static final int INTERVAL = 60;
    /** Two intervals plus the grace: a peer silent for longer than this is gone. */
    private static final long TIMEOUT_SECONDS = 2L * INTERVAL + 15;

    private TrackerHarness h = new TrackerHarness(new TrackerConfig(INTERVAL, Limits.DEFAULTS));

    // ---------------------------------------------------------------- sweep

    @Test
    void aPeerSilentForExactlyTheTimeoutIsKept() {
        h.announce(h.connect(), peer(1), Event.STARTED, 10);

        h.advanceSeconds(TIMEOUT_SECONDS);
        h.tracker.sweep();

        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 1, 0));
    }

    @Test
    void aPeerSilentForLongerThanTwoIntervalsAndTheGraceIsRemoved() {
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 0);

        h.advanceSeconds(TIMEOUT_SECONDS);
        h.advanceNanos(1);
        h.tracker.sweep();

        assertThat(h.counts()).isEqualTo(SwarmCounts.EMPTY);
        assertThat(c.session().torrentCount()).as("the connection forgets the expired peer").isZero();
        assertThat(h.stats().peers()).isZero();
        assertThat(h.stats().seeders()).isZero();
    }

    @Test
    void onlyPeersThatFellSilentAreRemoved() {
        Client old = h.connect("127.0.0.1");
        Client recent = h.connect("127.0.0.2");
        Client refreshed = h.connect("127.0.0.3");
        h.announce(old, peer(1), Event.STARTED, 0);
        h.announce(refreshed, peer(3), Event.STARTED, 10);
        h.http("10.0.0.4", peer(4), Event.STARTED, 10);
        h.advanceSeconds(100);
        h.announce(recent, peer(2), Event.STARTED, 10);
        h.announce(refreshed, peer(3), Event.UPDATE, 10);

        h.advanceSeconds(TIMEOUT_SECONDS - 99);
        h.tracker.sweep();

        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 2, 0));
        assertThat(h.announce(old, peer(1), Event.UPDATE, 0).complete())
                .as("the expired peer comes back as a new one").isEqualTo(1);
        assertThat(h.stats().peers()).isEqualTo(3);
    }

    @Test
    void expiredHttpPeersAreNoLongerHandedOut() {
        h.http("10.0.0.1", peer(1), Event.STARTED, 10);
        h.advanceSeconds(TIMEOUT_SECONDS + 1);
        h.tracker.sweep();

        AnnounceResult r = h.http("10.0.0.2", peer(2), Event.STARTED, 10);

        assertThat(r.peers()).isEmpty();
        assertThat(r.incomplete()).isEqualTo(1);
    }

    @Test
    void anAnswerCountsAsASignOfLife() {
        Client a = h.connect("127.0.0.1");
        Client b = h.connect("127.0.0.2");
        h.announce(b, peer(2), Event.STARTED, 10);
        h.advanceSeconds(100);
        h.announce(a, peer(1), Event.STARTED, 10, offerPayload(1));
        h.advanceSeconds(10);
        assertThat(h.answer(b, peer(2), peer(1), TrackerHarness.offer(1))).isNull();

        h.advanceSeconds(TIMEOUT_SECONDS - 20);
        h.tracker.sweep();

        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 2, 0));
    }

    @Test
    void sweepingPrunesSwarmsLeftEmpty() {
        Client c = h.connect();
        h.announce(c, torrent(1), peer(1), Event.STARTED, 0);
        h.announce(c, torrent(2), peer(1), Event.STARTED, 0);
        h.advanceSeconds(100);
        h.announce(c, torrent(3), peer(1), Event.STARTED, 0);
        assertThat(h.stats().torrents()).isEqualTo(3);

        h.advanceSeconds(TIMEOUT_SECONDS - 50);
        h.tracker.sweep();

        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).containsOnlyKeys(torrent(3));
        assertThat(h.stats().torrents()).isEqualTo(1);
        assertThat(h.stats().activeTorrents()).isEqualTo(1);

        h.advanceSeconds(TIMEOUT_SECONDS);
        h.tracker.sweep();

        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).isEmpty();
        assertThat(h.stats().torrents()).isZero();
        assertThat(h.stats().activeTorrents()).isZero();
        assertThat(c.session().torrentCount()).isZero();
    }

    @Test
    void aSwarmEmptiedByStoppedIsPrunedAtTheNextSweep() {
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 0);
        h.announce(c, peer(1), Event.STOPPED, 0);
        assertThat(h.stats().torrents()).isEqualTo(1);
        assertThat(h.stats().activeTorrents()).isZero();

        h.tracker.sweep();

        assertThat(h.stats().torrents()).isZero();
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void aPrunedTorrentCanBeJoinedAgain() {
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 10);
        h.advanceSeconds(TIMEOUT_SECONDS + 1);
        h.tracker.sweep();

        AnnounceResult r = h.announce(c, peer(1), Event.STARTED, 10);

        assertThat(r.incomplete()).isEqualTo(1);
        assertThat(h.stats().torrents()).isEqualTo(1);
        assertThat(h.stats().activeTorrents()).isEqualTo(1);
        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 1, 0));
    }

    @Test
    void sweepingKeepsSwarmsThatHavePeers() {
        h.announce(h.connect(), peer(1), Event.STARTED, 10);

        h.tracker.sweep();
        h.tracker.sweep();

        assertThat(h.stats().torrents()).isEqualTo(1);
        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 1, 0));
    }

    @Test
    void sweepingPurgesOffersPastTheirTimeout() {
        Client a = h.connect("127.0.0.1");
        Client b = h.connect("127.0.0.2");
        h.announce(b, peer(2), Event.STARTED, 10);
        h.announce(a, peer(1), Event.STARTED, 10, offerPayload(1));
        h.advanceSeconds(10);
        h.announce(a, peer(1), Event.UPDATE, 10, offerPayload(2));
        Peer offerer = h.swarm(TORRENT).peers.get(peer(1));
        assertThat(offerer.pending.size()).isEqualTo(2);

        h.advanceSeconds(Limits.DEFAULTS.offerTimeoutSeconds() - 5);
        h.tracker.sweep();

        assertThat(offerer.pending.size()).as("only the first offer expired").isEqualTo(1);

        h.advanceSeconds(10);
        h.tracker.sweep();

        assertThat(offerer.pending).as("a peer with no offers left drops its table").isNull();
    }

    @Test
    void expiryWorksAcrossTheNanoClockWrap() {
        h = new TrackerHarness(new TrackerConfig(INTERVAL, Limits.DEFAULTS), Long.MAX_VALUE - 30 * SECOND);
        Client a = h.connect("127.0.0.1");
        Client b = h.connect("127.0.0.2");
        h.announce(a, peer(1), Event.STARTED, 10);
        h.advanceSeconds(100); // past Long.MAX_VALUE
        h.announce(b, peer(2), Event.STARTED, 10);

        h.tracker.sweep();
        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 2, 0));

        h.advanceSeconds(TIMEOUT_SECONDS - 99);
        h.tracker.sweep();
        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 1, 0));
    }

    // ---------------------------------------------------------------- closing a connection

    @Test
    void closingAConnectionRemovesItsPeersFromEveryTorrentAtOnce() {
        Client leaving = h.connect("127.0.0.1");
        Client staying = h.connect("127.0.0.2");
        h.announce(leaving, torrent(1), peer(1), Event.STARTED, 0);
        h.announce(leaving, torrent(2), peer(1), Event.STARTED, 10);
        h.announce(leaving, torrent(3), peer(3), Event.STARTED, 10);
        h.announce(staying, torrent(1), peer(2), Event.STARTED, 10);

        h.close(leaving);

        assertThat(h.counts(torrent(1))).isEqualTo(new SwarmCounts(0, 1, 0));
        assertThat(h.counts(torrent(2))).isEqualTo(SwarmCounts.EMPTY);
        assertThat(h.counts(torrent(3))).isEqualTo(SwarmCounts.EMPTY);
        assertThat(h.stats().peers()).isEqualTo(1);
        assertThat(h.stats().seeders()).isZero();
        assertThat(h.stats().activeTorrents()).isEqualTo(1);
        assertThat(h.stats().connections()).isEqualTo(1);

        h.tracker.sweep();
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).containsOnlyKeys(torrent(1));
    }

    @Test
    void aClosedConnectionCannotJoinAnything() {
        Client c = h.connect();
        h.close(c);

        AnnounceResult r = h.announce(c, peer(1), Event.STARTED, 10);

        assertThat(r.failure()).isEqualTo("connection closed");
        assertThat(h.counts()).isEqualTo(SwarmCounts.EMPTY);
        assertThat(h.stats().peers()).isZero();
    }

    @Test
    void closingAConnectionFreesItsSlotForItsAddress() throws Exception {
        h = TrackerHarness.withLimits(LimitsBuilder.defaults().maxConnectionsPerIp(1));
        Client c = h.connect("127.0.0.9");
        assertThatThrownBy(() -> h.connect("127.0.0.9")).hasMessageContaining("too many connections from");

        h.close(c);

        assertThat(h.connect("127.0.0.9").session()).isNotNull();
    }

    @Test
    void closingAConnectionTwiceFreesItsSlotOnlyOnce() {
        h = TrackerHarness.withLimits(LimitsBuilder.defaults().maxConnectionsPerIp(2).maxConnections(3));
        Client a = h.connect("127.0.0.9");
        h.connect("127.0.0.9");
        h.announce(a, peer(1), Event.STARTED, 10);

        h.close(a);
        h.close(a);

        assertThat(h.stats().connections()).isEqualTo(1);
        assertThat(h.stats().peers()).isZero();
        h.connect("127.0.0.9");
        assertThatThrownBy(() -> h.connect("127.0.0.9")).as("per-address slots")
                .hasMessageContaining("too many connections from 127.0.0.9");
        h.connect("127.0.0.10");
        assertThatThrownBy(() -> h.connect("127.0.0.11")).as("total slots")
                .hasMessageContaining("too many connections to this relay");
    }

    @Test
    void closingAConnectionLeavesPeersItWasRefusedAlone() {
        Client owner = h.connect("127.0.0.1");
        Client other = h.connect("127.0.0.2");
        h.announce(owner, peer(1), Event.STARTED, 10);
        h.announce(other, peer(1), Event.STARTED, 10); // refused: peer_id in use

        h.close(other);

        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 1, 0));
    }
}
