package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.TrackerHarness.SECOND;
import static org.btrelay.tracker.TrackerHarness.latin1;
import static org.btrelay.tracker.TrackerHarness.offer;
import static org.btrelay.tracker.TrackerHarness.offerPayload;
import static org.btrelay.tracker.TrackerHarness.torrent;

import java.util.Map;
import org.btrelay.tracker.TrackerHarness.Client;
import org.junit.jupiter.api.Test;

class TrackerStatsTest {
    private static final Id20 WEBTORRENT_A = latin1("-WW0208-aaaaaaaaaaaa");
    private static final Id20 WEBTORRENT_B = latin1("-WW0208-bbbbbbbbbbbb");
    private static final Id20 QBITTORRENT = latin1("-qB4510-cccccccccccc");
    private static final Id20 ANONYMOUS = latin1("M7-2-2--dddddddddddd");

    private final TrackerHarness h = new TrackerHarness();

    /** The peer figures of a snapshot, compared as one value so a failure shows them all. */
    record Figures(long torrents, long activeTorrents, long peers, long seeders, long leechers, long ipv4, long ipv6,
            long connections, Map<String, Map<String, Long>> clients) {
        static Figures of(TrackerStats.Snapshot s) {
            return new Figures(s.torrents(), s.activeTorrents(), s.peers(), s.seeders(), s.leechers(),
                    s.peersIpv4(), s.peersIpv6(), s.connections(), s.clients());
        }
    }

    private Figures figures() {
        return Figures.of(h.stats());
    }

    @Test
    void peerFiguresStayExactThroughJoinsChangesLeavesExpiryAndClosing() {
        assertThat(figures()).isEqualTo(new Figures(0, 0, 0, 0, 0, 0, 0, 0, Map.of()));

        Client v4 = h.connect("127.0.0.1");
        Client v6 = h.connect("::1");
        h.announce(v4, torrent(1), WEBTORRENT_A, Event.STARTED, 100);
        h.announce(v6, torrent(1), QBITTORRENT, Event.STARTED, 0);
        h.http("2001:db8::7", torrent(2), ANONYMOUS, Event.STARTED, 100, 6881, 50);
        h.http("192.0.2.7", torrent(2), WEBTORRENT_B, Event.STARTED, 0, 6881, 50);

        assertThat(figures()).isEqualTo(new Figures(2, 2, 4, 2, 2, 2, 2, 2, Map.of(
                "WebTorrent", Map.of("2.8", 2L),
                "qBittorrent", Map.of("4.5.1.0", 1L),
                "unknown", Map.of("unknown", 1L))));

        h.announce(v4, torrent(1), WEBTORRENT_A, Event.COMPLETED, 0);
        assertThat(figures()).isEqualTo(new Figures(2, 2, 4, 3, 1, 2, 2, 2, Map.of(
                "WebTorrent", Map.of("2.8", 2L),
                "qBittorrent", Map.of("4.5.1.0", 1L),
                "unknown", Map.of("unknown", 1L))));

        h.announce(v6, torrent(1), QBITTORRENT, Event.UPDATE, 50);
        assertThat(figures()).isEqualTo(new Figures(2, 2, 4, 2, 2, 2, 2, 2, Map.of(
                "WebTorrent", Map.of("2.8", 2L),
                "qBittorrent", Map.of("4.5.1.0", 1L),
                "unknown", Map.of("unknown", 1L))));

        h.http("2001:db8::7", torrent(2), ANONYMOUS, Event.STOPPED, 100, 6881, 50);
        assertThat(figures()).isEqualTo(new Figures(2, 2, 3, 2, 1, 2, 1, 2, Map.of(
                "WebTorrent", Map.of("2.8", 2L),
                "qBittorrent", Map.of("4.5.1.0", 1L))));

        h.close(v6);
        assertThat(figures()).isEqualTo(new Figures(2, 2, 2, 2, 0, 2, 0, 1, Map.of(
                "WebTorrent", Map.of("2.8", 2L))));

        // The HTTP seeder falls silent while the WebSocket peer keeps announcing.
        h.advanceSeconds(200);
        h.announce(v4, torrent(1), WEBTORRENT_A, Event.UPDATE, 0);
        h.advanceSeconds(100);
        h.tracker.sweep();
        assertThat(figures()).isEqualTo(new Figures(1, 1, 1, 1, 0, 1, 0, 1, Map.of(
                "WebTorrent", Map.of("2.8", 1L))));

        h.close(v4);
        assertThat(figures()).isEqualTo(new Figures(1, 0, 0, 0, 0, 0, 0, 0, Map.of()));

        h.tracker.sweep();
        assertThat(figures()).isEqualTo(new Figures(0, 0, 0, 0, 0, 0, 0, 0, Map.of()));
    }

    @Test
    void aRefusedAnnounceChangesNoPeerFigure() {
        Client owner = h.connect("127.0.0.1");
        h.announce(owner, torrent(1), WEBTORRENT_A, Event.STARTED, 100);
        Figures before = figures();

        h.announce(h.connect("127.0.0.2"), torrent(1), WEBTORRENT_A, Event.COMPLETED, 0);

        Figures after = figures();
        assertThat(after.peers()).isEqualTo(before.peers());
        assertThat(after.seeders()).isEqualTo(before.seeders());
        assertThat(after.clients()).isEqualTo(before.clients());
        assertThat(after.connections()).isEqualTo(before.connections() + 1);
    }

    @Test
    void requestsAreCounted() {
        Client a = h.connect("127.0.0.1");
        Client b = h.connect("127.0.0.2");
        h.announce(b, torrent(1), WEBTORRENT_B, Event.STARTED, 10);
        h.announce(a, torrent(1), WEBTORRENT_A, Event.STARTED, 10, offerPayload(1));
        h.answer(b, torrent(1), WEBTORRENT_B, WEBTORRENT_A, offer(1), "{}");
        h.tracker.scrape(torrent(1));
        h.tracker.scrapeAll(10);

        TrackerStats.Snapshot s = h.stats();
        assertThat(s.announces()).isEqualTo(2);
        assertThat(s.offersForwarded()).isEqualTo(1);
        assertThat(s.answersForwarded()).isEqualTo(1);
        assertThat(s.scrapes()).isEqualTo(2);
        assertThat(s.refusals()).isZero();
    }

    @Test
    void ratesAppearAfterTicks() {
        TrackerStats stats = h.tracker.stats();
        stats.tick(0);
        Client c = h.connect();
        for (int i = 0; i < 30; i++) {
            h.announce(c, torrent(i), WEBTORRENT_A, Event.STARTED, 10);
        }
        stats.tick(2 * SECOND);

        assertThat(h.stats().announcesPerSecond()).isEqualTo(15.0);
        assertThat(h.stats().offersForwardedPerSecond()).isZero();
    }

    @Test
    void clientKindsBeyondTheBoundAreCountedAsOtherAndStillLeaveExactly() {
        Client c = h.connect();
        int kinds = TrackerStats.MAX_CLIENT_KINDS + 20;
        for (int i = 0; i < kinds; i++) {
            // Distinct versions of one client code: each is its own name/version pair.
            Id20 id = latin1(String.format("-ZZ%04d-xxxxxxxxxxxx", i));
            h.announce(c, torrent(i), id, Event.STARTED, 10);
        }
        Map<String, Map<String, Long>> clients = h.stats().clients();
        long counted = clients.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        assertThat(counted).isEqualTo(kinds);
        assertThat(clients).containsKey("other");

        h.close(c);

        assertThat(h.stats().clients()).isEmpty();
        assertThat(h.stats().peers()).isZero();
    }
}
