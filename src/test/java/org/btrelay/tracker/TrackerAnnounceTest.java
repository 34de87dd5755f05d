package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.TrackerHarness.TORRENT;
import static org.btrelay.tracker.TrackerHarness.peer;
import static org.btrelay.tracker.TrackerHarness.torrent;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.btrelay.tracker.TrackerHarness.Client;
import org.junit.jupiter.api.Test;

class TrackerAnnounceTest {
    private static final String PEER_ID_TAKEN = "peer_id is in use by another connection";

    private final TrackerHarness h = new TrackerHarness();

    private static SwarmCounts counts(int complete, int incomplete, int downloaded) {
        return new SwarmCounts(complete, incomplete, downloaded);
    }

    // ---------------------------------------------------------------- seeders and leechers

    @Test
    void aPeerWithNothingLeftIsASeeder() {
        AnnounceResult r = h.announce(h.connect(), peer(1), Event.STARTED, 0);

        assertThat(r.ok()).isTrue();
        assertThat(r.complete()).isEqualTo(1);
        assertThat(r.incomplete()).isZero();
        assertThat(h.counts()).isEqualTo(counts(1, 0, 0));
    }

    @Test
    void aPeerWithBytesLeftIsALeecher() {
        AnnounceResult r = h.announce(h.connect(), peer(1), Event.STARTED, 1);

        assertThat(r.complete()).isZero();
        assertThat(r.incomplete()).isEqualTo(1);
        assertThat(h.counts()).isEqualTo(counts(0, 1, 0));
    }

    @Test
    void aPeerThatDoesNotSayWhatIsLeftIsALeecher() {
        AnnounceResult r = h.announce(h.connect(), peer(1), Event.STARTED, AnnounceRequest.UNKNOWN_LEFT);

        assertThat(r.complete()).isZero();
        assertThat(r.incomplete()).isEqualTo(1);
    }

    @Test
    void theReplyCarriesTheConfiguredInterval() {
        TrackerHarness custom = new TrackerHarness(new TrackerConfig(42, Limits.DEFAULTS));

        assertThat(custom.announce(custom.connect(), peer(1), Event.STARTED, 0).intervalSeconds()).isEqualTo(42);
        assertThat(custom.http("10.0.0.1", peer(2), Event.STARTED, 0).intervalSeconds()).isEqualTo(42);
    }

    @Test
    void eachEventMovesThePeerBetweenSeedersAndLeechersExactly() {
        Client c = h.connect();
        h.announce(h.connect("127.0.0.2"), peer(9), Event.STARTED, 0); // a bystander seeder

        assertThat(h.announce(c, peer(1), Event.STARTED, 500)).extracting("complete", "incomplete").containsExactly(1, 1);
        assertThat(h.announce(c, peer(1), Event.UPDATE, 200)).extracting("complete", "incomplete").containsExactly(1, 1);
        assertThat(h.announce(c, peer(1), Event.UPDATE, 0)).extracting("complete", "incomplete").containsExactly(2, 0);
        assertThat(h.announce(c, peer(1), Event.PAUSED, 0)).extracting("complete", "incomplete").containsExactly(2, 0);
        assertThat(h.announce(c, peer(1), Event.PAUSED, 100)).extracting("complete", "incomplete").containsExactly(1, 1);
        assertThat(h.announce(c, peer(1), Event.STARTED, 100)).extracting("complete", "incomplete").containsExactly(1, 1);
        assertThat(h.announce(c, peer(1), Event.COMPLETED, 0)).extracting("complete", "incomplete").containsExactly(2, 0);
        assertThat(h.announce(c, peer(1), Event.STOPPED, 0)).extracting("complete", "incomplete").containsExactly(1, 0);
        assertThat(h.counts()).isEqualTo(counts(1, 0, 1));
    }

    @Test
    void completedFromAKnownLeecherCountsOneDownload() {
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 1000);

        AnnounceResult r = h.announce(c, peer(1), Event.COMPLETED, 0);

        assertThat(r.complete()).isEqualTo(1);
        assertThat(r.incomplete()).isZero();
        assertThat(h.counts()).isEqualTo(counts(1, 0, 1));
    }

    @Test
    void aRepeatedCompletedDoesNotCountASecondDownload() {
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 1000);
        h.announce(c, peer(1), Event.COMPLETED, 0);

        h.announce(c, peer(1), Event.COMPLETED, 0);
        h.announce(c, peer(1), Event.UPDATE, 0);

        assertThat(h.counts()).isEqualTo(counts(1, 0, 1));
    }

    @Test
    void aPeerThatLeechesAgainAndCompletesAgainOnTheSameJoinIsNotCountedTwice() {
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 1000);
        h.announce(c, peer(1), Event.COMPLETED, 0);
        h.announce(c, peer(1), Event.UPDATE, 50);

        h.announce(c, peer(1), Event.COMPLETED, 0);

        assertThat(h.counts()).isEqualTo(counts(1, 0, 1));
    }

    @Test
    void completedFromAnUnknownPeerAddsASeederWithoutCountingADownload() {
        AnnounceResult r = h.announce(h.connect(), peer(1), Event.COMPLETED, 0);

        assertThat(r.ok()).isTrue();
        assertThat(h.counts()).isEqualTo(counts(1, 0, 0));
    }

    @Test
    void completedFromAPeerThatJoinedAsASeederCountsNoDownload() {
        Client c = h.connect();
        h.announce(c, peer(1), Event.STARTED, 0);

        h.announce(c, peer(1), Event.COMPLETED, 0);

        assertThat(h.counts()).isEqualTo(counts(1, 0, 0));
    }

    @Test
    void downloadsOfDifferentPeersAddUp() {
        for (int i = 0; i < 3; i++) {
            Client c = h.connect("127.0.0." + (i + 1));
            h.announce(c, peer(i), Event.STARTED, 10);
            h.announce(c, peer(i), Event.COMPLETED, 0);
        }
        assertThat(h.counts()).isEqualTo(counts(3, 0, 3));
    }

    @Test
    void stoppedRemovesThePeerAndRepliesWithTheRemainingCounts() {
        Client a = h.connect("127.0.0.1");
        Client b = h.connect("127.0.0.2");
        h.announce(a, peer(1), Event.STARTED, 0);
        h.announce(b, peer(2), Event.STARTED, 10);

        AnnounceResult r = h.announce(b, peer(2), Event.STOPPED, 10);

        assertThat(r.ok()).isTrue();
        assertThat(r.complete()).isEqualTo(1);
        assertThat(r.incomplete()).isZero();
        assertThat(h.counts()).isEqualTo(counts(1, 0, 0));
        assertThat(b.session().torrentCount()).isZero();
        assertThat(h.stats().peers()).isEqualTo(1);
    }

    @Test
    void aStoppedPeerCanJoinAgain() {
        Client a = h.connect();
        h.announce(a, peer(1), Event.STARTED, 10);
        h.announce(a, peer(1), Event.STOPPED, 10);

        AnnounceResult r = h.announce(a, peer(1), Event.STARTED, 10);

        assertThat(r.ok()).isTrue();
        assertThat(h.counts()).isEqualTo(counts(0, 1, 0));
        assertThat(a.session().torrentCount()).isEqualTo(1);
    }

    @Test
    void stoppedForAnUnknownTorrentCreatesNoSwarm() {
        AnnounceResult r = h.announce(h.connect(), torrent(77), peer(1), Event.STOPPED, 0);

        assertThat(r.ok()).isTrue();
        assertThat(r.complete()).isZero();
        assertThat(r.incomplete()).isZero();
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).isEmpty();
        assertThat(h.stats().torrents()).isZero();
    }

    @Test
    void stoppedForAnUnknownPeerChangesNothing() {
        h.announce(h.connect("127.0.0.1"), peer(1), Event.STARTED, 10);

        AnnounceResult r = h.announce(h.connect("127.0.0.2"), peer(2), Event.STOPPED, 0);

        assertThat(r.ok()).isTrue();
        assertThat(h.counts()).isEqualTo(counts(0, 1, 0));
    }

    @Test
    void oneConnectionCanJoinManyTorrents() {
        Client c = h.connect();
        for (int t = 0; t < 5; t++) {
            assertThat(h.announce(c, torrent(t), peer(1), Event.STARTED, t).ok()).isTrue();
        }
        assertThat(c.session().torrentCount()).isEqualTo(5);
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).hasSize(5);
        assertThat(h.counts(torrent(0))).isEqualTo(counts(1, 0, 0));
        assertThat(h.counts(torrent(3))).isEqualTo(counts(0, 1, 0));
    }

    @Test
    void scrapeOfAnUnknownTorrentIsEmpty() {
        assertThat(h.tracker.scrape(torrent(5))).isEqualTo(SwarmCounts.EMPTY);
        assertThat(h.tracker.scrapeAll(10)).isEmpty();
    }

    @Test
    void scrapeAllListsAtMostTheLimit() {
        Client c = h.connect();
        for (int t = 0; t < 5; t++) {
            h.announce(c, torrent(t), peer(1), Event.STARTED, 0);
        }
        assertThat(h.tracker.scrapeAll(3)).hasSize(3);
        assertThat(h.tracker.scrapeAll(10)).hasSize(5).allSatisfy((id, n) -> assertThat(n).isEqualTo(counts(1, 0, 0)));
    }

    // ---------------------------------------------------------------- peer_id ownership

    @Test
    void aSecondConnectionCannotAnnounceAPeerIdThatIsInUse() {
        Client owner = h.connect("127.0.0.1");
        Client thief = h.connect("127.0.0.2");
        h.announce(owner, peer(1), Event.STARTED, 100);

        AnnounceResult seed = h.announce(thief, peer(1), Event.COMPLETED, 0);
        AnnounceResult stop = h.announce(thief, peer(1), Event.STOPPED, 0);

        assertThat(seed.failure()).isEqualTo(PEER_ID_TAKEN);
        assertThat(stop.failure()).isEqualTo(PEER_ID_TAKEN);
        assertThat(h.counts()).isEqualTo(counts(0, 1, 0));
        assertThat(thief.session().torrentCount()).isZero();
        assertThat(owner.session().torrentCount()).isEqualTo(1);
        assertThat(h.stats().refusals()).isEqualTo(2);

        h.close(thief);
        assertThat(h.counts()).as("closing the other connection leaves the owner's peer").isEqualTo(counts(0, 1, 0));
    }

    @Test
    void anHttpAnnounceCannotTakeOverAWebSocketPeer() {
        Client owner = h.connect("127.0.0.1");
        h.announce(owner, peer(1), Event.STARTED, 100);

        AnnounceResult r = h.http("127.0.0.1", peer(1), Event.STOPPED, 0);

        assertThat(r.failure()).isEqualTo(PEER_ID_TAKEN);
        assertThat(h.counts()).isEqualTo(counts(0, 1, 0));
    }

    @Test
    void aWebSocketAnnounceCannotTakeOverAnHttpPeer() {
        h.http("127.0.0.1", peer(1), Event.STARTED, 100);

        AnnounceResult r = h.announce(h.connect("127.0.0.1"), peer(1), Event.COMPLETED, 0);

        assertThat(r.failure()).isEqualTo(PEER_ID_TAKEN);
        assertThat(h.counts()).isEqualTo(counts(0, 1, 0));
    }

    @Test
    void anHttpPeerIsBoundToTheAddressItFirstAnnouncedFrom() {
        h.http("10.0.0.1", peer(1), Event.STARTED, 100);

        AnnounceResult other = h.http("10.0.0.2", peer(1), Event.STOPPED, 0);
        AnnounceResult same = h.http("10.0.0.1", peer(1), Event.UPDATE, 0);

        assertThat(other.failure()).isEqualTo(PEER_ID_TAKEN);
        assertThat(same.ok()).isTrue();
        assertThat(h.counts()).isEqualTo(counts(1, 0, 0));
    }

    @Test
    void theSamePeerIdMayBeUsedInAnotherTorrentByAnotherConnection() {
        h.announce(h.connect("127.0.0.1"), torrent(1), peer(1), Event.STARTED, 0);

        AnnounceResult r = h.announce(h.connect("127.0.0.2"), torrent(2), peer(1), Event.STARTED, 0);

        assertThat(r.ok()).isTrue();
    }

    // ---------------------------------------------------------------- HTTP peers

    @Test
    void anHttpAnnounceGetsTheOtherAddressPeersButNeverItself() {
        for (int i = 1; i <= 5; i++) {
            h.http("10.0.0." + i, TORRENT, peer(i), Event.STARTED, 10, 7000 + i, 50);
        }

        AnnounceResult r = h.http("10.0.0.9", TORRENT, peer(9), Event.STARTED, 10, 7009, 50);
        AnnounceResult again = h.http("10.0.0.3", TORRENT, peer(3), Event.UPDATE, 10, 7003, 50);

        assertThat(r.peers()).extracting(PeerAddress::peerId)
                .containsExactlyInAnyOrder(peer(1), peer(2), peer(3), peer(4), peer(5));
        assertThat(r.peers()).allSatisfy(p -> {
            int n = Integer.parseInt(p.peerId().toLatin1().substring(8));
            assertThat(p.ip()).containsExactly(10, 0, 0, n);
            assertThat(p.port()).isEqualTo(7000 + n);
            assertThat(p.isIpv6()).isFalse();
        });
        assertThat(again.peers()).extracting(PeerAddress::peerId)
                .containsExactlyInAnyOrder(peer(1), peer(2), peer(4), peer(5), peer(9));
    }

    @Test
    void theFirstHttpPeerGetsNoPeers() {
        AnnounceResult r = h.http("10.0.0.1", peer(1), Event.STARTED, 10);

        assertThat(r.ok()).isTrue();
        assertThat(r.peers()).isEmpty();
    }

    @Test
    void anHttpAnnounceGetsAtMostNumWantDistinctPeers() {
        for (int i = 1; i <= 30; i++) {
            h.http("10.0.1." + i, TORRENT, peer(i), Event.STARTED, 10, 6881, 0);
        }
        for (int numWant : new int[] {0, 1, 7, 29, 30, 200}) {
            AnnounceResult r = h.http("10.0.1.1", TORRENT, peer(1), Event.UPDATE, 10, 6881, numWant);

            Set<Id20> ids = new HashSet<>();
            r.peers().forEach(p -> ids.add(p.peerId()));
            assertThat(r.peers()).as("numwant %d", numWant).hasSize(Math.min(numWant, 29));
            assertThat(ids).hasSize(r.peers().size()).doesNotContain(peer(1));
        }
    }

    @Test
    void webSocketPeersAreNeverHandedOutAsAddresses() {
        Client c = h.connect();
        for (int i = 1; i <= 3; i++) {
            h.announce(c, peer(100 + i), Event.STARTED, 0);
        }
        h.http("10.0.0.1", peer(1), Event.STARTED, 10);

        AnnounceResult r = h.http("10.0.0.2", peer(2), Event.STARTED, 10);

        assertThat(r.peers()).extracting(PeerAddress::peerId).containsExactly(peer(1));
        assertThat(r.complete()).isEqualTo(3);
        assertThat(r.incomplete()).isEqualTo(2);
    }

    @Test
    void aWebSocketAnnounceGetsNoAddresses() {
        h.http("10.0.0.1", peer(1), Event.STARTED, 10);

        AnnounceResult r = h.announce(h.connect(), peer(2), Event.STARTED, 10);

        assertThat(r.peers()).isEmpty();
    }

    @Test
    void httpPeersAreListedWithFourByteIpv4AndSixteenByteIpv6Addresses() throws Exception {
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3}, -1);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        h.http("192.0.2.7", TORRENT, peer(1), Event.STARTED, 10, 1111, 50);
        h.http("2001:db8::42", TORRENT, peer(2), Event.STARTED, 10, 2222, 50);
        h.tracker.announce(new AnnounceRequest(TORRENT, peer(3), Event.STARTED, 10, 0, 0, 50, List.of(), null,
                mapped, 3333));

        List<PeerAddress> peers = h.http("192.0.2.99", TORRENT, peer(9), Event.STARTED, 10, 9999, 50).peers();

        assertThat(peers).hasSize(3);
        PeerAddress v4 = find(peers, peer(1));
        PeerAddress v6 = find(peers, peer(2));
        PeerAddress v4mapped = find(peers, peer(3));
        assertThat(v4.ip()).containsExactly(192, 0, 2, 7);
        assertThat(v4.port()).isEqualTo(1111);
        assertThat(v6.ip()).hasSize(16).isEqualTo(InetAddress.getByName("2001:db8::42").getAddress());
        assertThat(v6.isIpv6()).isTrue();
        assertThat(v4mapped.ip()).containsExactly(10, 1, 2, 3);
        assertThat(v4mapped.isIpv6()).isFalse();
        assertThat(h.stats().peersIpv4()).isEqualTo(3);
        assertThat(h.stats().peersIpv6()).isEqualTo(1);
    }

    @Test
    void anHttpPeerMayMoveToAnotherPort() {
        h.http("10.0.0.1", TORRENT, peer(1), Event.STARTED, 10, 1000, 50);
        h.http("10.0.0.1", TORRENT, peer(1), Event.UPDATE, 10, 2000, 50);

        List<PeerAddress> peers = h.http("10.0.0.2", TORRENT, peer(2), Event.STARTED, 10, 3000, 50).peers();

        assertThat(peers).singleElement().extracting(PeerAddress::port).isEqualTo(2000);
    }

    private static PeerAddress find(List<PeerAddress> peers, Id20 id) {
        return peers.stream().filter(p -> p.peerId().equals(id)).findFirst().orElseThrow();
    }
}
