package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.TrackerHarness.SECOND;
import static org.btrelay.tracker.TrackerHarness.latin1;
import static org.btrelay.tracker.TrackerHarness.torrent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.btrelay.tracker.TrackerHarness.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads announce, answer, leave and close connections while a sweeper runs; afterwards
 * every count must agree exactly with a recount.
 */
class TrackerConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ANNOUNCES_PER_THREAD = 2_000;
    private static final int TORRENTS = 50;
    private static final int CONNECTIONS_PER_THREAD = 3;
    private static final int HTTP_PEERS_PER_THREAD = 3;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** What one worker believes about the peers it owns: nobody else touches them. */
    private static final class PeerState {
        final Client owner;
        final boolean ipv6;
        final boolean webTorrent;
        boolean seeder;
        boolean counted;

        PeerState(Client owner, boolean ipv6, boolean webTorrent, boolean seeder) {
            this.owner = owner;
            this.ipv6 = ipv6;
            this.webTorrent = webTorrent;
            this.seeder = seeder;
        }
    }

    private record Key(int torrent, Id20 peerId) {}

    private record HttpPeer(Id20 peerId, String ip) {}

    private static final class Worker {
        final int index;
        final TrackerHarness h;
        final Random rnd;
        final Map<Key, PeerState> model = new HashMap<>();
        final int[] downloads = new int[TORRENTS];
        final Client[] clients = new Client[CONNECTIONS_PER_THREAD];
        final Id20[] clientPeerIds = new Id20[CONNECTIONS_PER_THREAD];
        final HttpPeer[] httpPeers = new HttpPeer[HTTP_PEERS_PER_THREAD];
        int generation;
        int offers;

        Worker(int index, TrackerHarness h) {
            this.index = index;
            this.h = h;
            this.rnd = new Random(1000 + index);
            for (int k = 0; k < CONNECTIONS_PER_THREAD; k++) {
                reconnect(k);
            }
            for (int k = 0; k < HTTP_PEERS_PER_THREAD; k++) {
                String ip = k == HTTP_PEERS_PER_THREAD - 1 ? "2001:db8::" + (index + 1) + ":" + k : "10." + index + ".0." + k;
                httpPeers[k] = new HttpPeer(latin1(String.format("M7-2-2--w%02dh%08d", index, k)), ip);
            }
        }

        boolean ipv6Slot(int k) {
            return k == 0;
        }

        boolean webTorrentSlot(int k) {
            return k != 1;
        }

        void reconnect(int k) {
            clients[k] = h.connect(ipv6Slot(k) ? "::1" : "127.0." + index + "." + (k + 1));
            String prefix = webTorrentSlot(k) ? "-WW0208-" : "-qB4510-";
            clientPeerIds[k] = latin1(String.format("%sw%02dg%08d", prefix, index, generation++));
        }

        void run() {
            for (int i = 0; i < ANNOUNCES_PER_THREAD; i++) {
                int action = rnd.nextInt(100);
                if (action < 2) {
                    closeOne();
                } else if (action < 7) {
                    answerSomething();
                } else if (action < 27) {
                    announceHttp();
                } else {
                    announceWs();
                }
            }
        }

        void closeOne() {
            int k = rnd.nextInt(CONNECTIONS_PER_THREAD);
            Client c = clients[k];
            h.close(c);
            model.values().removeIf(s -> s.owner == c);
            reconnect(k);
        }

        void answerSomething() {
            int k = rnd.nextInt(CONNECTIONS_PER_THREAD);
            List<Signal.Offer> got = clients[k].channel().offers();
            if (got.isEmpty()) {
                return;
            }
            Signal.Offer o = got.get(rnd.nextInt(got.size()));
            // May be refused (the offer went to an earlier connection, or the offerer left): fine.
            h.tracker.answer(new AnswerRequest(o.infoHash(), clientPeerIds[k], o.fromPeerId(), o.offerId(),
                    "{\"type\":\"answer\"}", clients[k].session()));
        }

        Event event() {
            int e = rnd.nextInt(100);
            if (e < 35) {
                return Event.STARTED;
            } else if (e < 55) {
                return Event.UPDATE;
            } else if (e < 70) {
                return Event.COMPLETED;
            } else if (e < 90) {
                return Event.STOPPED;
            }
            return Event.PAUSED;
        }

        long left() {
            int l = rnd.nextInt(10);
            return l < 4 ? 0 : l < 9 ? 1 + rnd.nextInt(1_000_000) : AnnounceRequest.UNKNOWN_LEFT;
        }

        void announceWs() {
            int k = rnd.nextInt(CONNECTIONS_PER_THREAD);
            int t = rnd.nextInt(TORRENTS);
            Event event = event();
            long left = left();
            List<OfferPayload> offerList = new ArrayList<>();
            if (event != Event.STOPPED) {
                int n = rnd.nextInt(4);
                for (int j = 0; j < n; j++) {
                    offerList.add(new OfferPayload(latin1(String.format("offer-w%02d-%010d", index, offers++)),
                            "{\"type\":\"offer\"}"));
                }
            }
            Client c = clients[k];
            AnnounceResult r = h.tracker.announce(new AnnounceRequest(torrent(t), clientPeerIds[k], event, left, 0, 0,
                    50, offerList, c.session(), c.session().address(), 0));
            assertThat(r.failure()).isNull();
            record(new Key(t, clientPeerIds[k]), event, left, c, ipv6Slot(k), webTorrentSlot(k));
        }

        void announceHttp() {
            HttpPeer p = httpPeers[rnd.nextInt(HTTP_PEERS_PER_THREAD)];
            int t = rnd.nextInt(TORRENTS);
            Event event = event();
            long left = left();
            AnnounceResult r = h.http(p.ip(), torrent(t), p.peerId(), event, left, 6881, 1 + rnd.nextInt(60));
            assertThat(r.failure()).isNull();
            assertThat(r.peers()).extracting(PeerAddress::peerId).doesNotContain(p.peerId()).doesNotHaveDuplicates();
            record(new Key(t, p.peerId()), event, left, null, p.ip().contains(":"), false);
        }

        /** The rules the tracker must follow, applied to this worker's own peers. */
        void record(Key key, Event event, long left, Client owner, boolean ipv6, boolean webTorrent) {
            PeerState s = model.get(key);
            if (event == Event.STOPPED) {
                model.remove(key);
            } else if (s == null) {
                model.put(key, new PeerState(owner, ipv6, webTorrent, left == 0));
            } else {
                boolean seeder = left == 0;
                if (event == Event.COMPLETED && !s.seeder && !s.counted) {
                    downloads[key.torrent()]++;
                    s.counted = true;
                    seeder = true;
                }
                s.seeder = seeder;
            }
        }

        void closeAll() {
            for (Client c : clients) {
                h.close(c);
            }
        }
    }

    private List<Worker> runWorkers(TrackerHarness h, Runnable sweeperStep) throws Exception {
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(new Worker(t, h));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        Future<?> sweeper = pool.submit(() -> {
            start.await();
            int sweeps = 0;
            while (!done.get() || sweeps < 10) {
                sweeperStep.run();
                sweeps++;
                Thread.yield();
            }
            return sweeps;
        });
        List<Future<?>> running = new ArrayList<>();
        for (Worker w : workers) {
            running.add(pool.submit(() -> {
                start.await();
                w.run();
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
        }
        assertThat((Integer) sweeper.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(10);
        return workers;
    }

    /** Per-torrent counts against global statistics: they must agree exactly. */
    private static void assertStatsAgreeWithSwarms(TrackerHarness h) {
        Map<Id20, SwarmCounts> all = h.tracker.torrents(Integer.MAX_VALUE);
        long complete = 0;
        long incomplete = 0;
        long active = 0;
        for (SwarmCounts c : all.values()) {
            assertThat(c.complete()).isNotNegative();
            assertThat(c.incomplete()).isNotNegative();
            complete += c.complete();
            incomplete += c.incomplete();
            if (c.complete() + c.incomplete() > 0) {
                active++;
            }
        }
        TrackerStats.Snapshot s = h.stats();
        assertThat(s.seeders()).as("seeders").isEqualTo(complete);
        assertThat(s.leechers()).as("leechers").isEqualTo(incomplete);
        assertThat(s.peers()).as("peers").isEqualTo(complete + incomplete);
        assertThat(s.peersIpv4() + s.peersIpv6()).as("ipv4 + ipv6").isEqualTo(s.peers());
        assertThat(s.torrents()).as("torrents").isEqualTo(all.size());
        assertThat(s.activeTorrents()).as("active torrents").isEqualTo(active);
        long byClient = s.clients().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        assertThat(byClient).as("peers by client").isEqualTo(s.peers());
    }

    private static void assertEverythingGone(TrackerHarness h) {
        TrackerStats.Snapshot s = h.stats();
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).isEmpty();
        assertThat(s.torrents()).isZero();
        assertThat(s.activeTorrents()).isZero();
        assertThat(s.peers()).isZero();
        assertThat(s.seeders()).isZero();
        assertThat(s.peersIpv4()).isZero();
        assertThat(s.peersIpv6()).isZero();
        assertThat(s.connections()).isZero();
        assertThat(s.clients()).isEmpty();
    }

    @Test
    @Timeout(120)
    void countsMatchEveryPeersOwnHistoryAfterConcurrentAnnouncesClosesAndSweeps() throws Exception {
        TrackerHarness h = new TrackerHarness();
        List<Worker> workers = runWorkers(h, () -> {
            h.tracker.sweep();
            h.tracker.torrents(10);
            h.stats();
        });
        h.tracker.sweep();

        int[] seeders = new int[TORRENTS];
        int[] leechers = new int[TORRENTS];
        int[] downloads = new int[TORRENTS];
        long ipv6 = 0;
        long webTorrent = 0;
        for (Worker w : workers) {
            for (Map.Entry<Key, PeerState> e : w.model.entrySet()) {
                if (e.getValue().seeder) {
                    seeders[e.getKey().torrent()]++;
                } else {
                    leechers[e.getKey().torrent()]++;
                }
                ipv6 += e.getValue().ipv6 ? 1 : 0;
                webTorrent += e.getValue().webTorrent ? 1 : 0;
            }
            for (int t = 0; t < TORRENTS; t++) {
                downloads[t] += w.downloads[t];
            }
        }
        long expectedTorrents = 0;
        for (int t = 0; t < TORRENTS; t++) {
            SwarmCounts got = h.tracker.scrape(torrent(t));
            assertThat(got.complete()).as("seeders of torrent %d", t).isEqualTo(seeders[t]);
            assertThat(got.incomplete()).as("leechers of torrent %d", t).isEqualTo(leechers[t]);
            // A swarm pruned while empty starts its download count again, so only a bound holds.
            assertThat(got.downloaded()).as("downloads of torrent %d", t).isBetween(0, downloads[t]);
            expectedTorrents += seeders[t] + leechers[t] > 0 ? 1 : 0;
        }
        assertStatsAgreeWithSwarms(h);
        TrackerStats.Snapshot s = h.stats();
        assertThat(s.torrents()).isEqualTo(expectedTorrents);
        assertThat(s.peersIpv6()).isEqualTo(ipv6);
        assertThat(s.clients().getOrDefault("WebTorrent", Map.of()).getOrDefault("2.8", 0L)).isEqualTo(webTorrent);
        assertThat(s.connections()).isEqualTo((long) THREADS * CONNECTIONS_PER_THREAD);
        assertThat(s.announces()).isGreaterThan(THREADS * ANNOUNCES_PER_THREAD / 2);

        for (Worker w : workers) {
            w.closeAll();
        }
        h.advanceSeconds(10_000); // the HTTP peers fall silent
        h.tracker.sweep();
        assertEverythingGone(h);
    }

    @Test
    @Timeout(120)
    void countsAgreeWithARecountWhileSweepsExpirePeersConcurrently() throws Exception {
        TrackerHarness h = new TrackerHarness();
        Random clockSteps = new Random(7);
        List<Worker> workers = runWorkers(h, () -> {
            h.advanceNanos(clockSteps.nextInt(20) * SECOND);
            h.tracker.sweep();
        });
        h.tracker.sweep();

        assertStatsAgreeWithSwarms(h);
        assertThat(h.stats().connections()).isEqualTo((long) THREADS * CONNECTIONS_PER_THREAD);

        h.advanceSeconds(10_000);
        h.tracker.sweep();
        TrackerStats.Snapshot s = h.stats();
        assertThat(s.peers()).isZero();
        assertThat(s.torrents()).isZero();
        for (Worker w : workers) {
            for (Client c : w.clients) {
                assertThat(c.session().torrentCount()).as("expired peers are forgotten by their connection").isZero();
            }
            w.closeAll();
        }
        assertEverythingGone(h);
    }
}
