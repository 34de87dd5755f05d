package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tracker on a fake clock, with helpers to open connections and announce the way the
 * frontends do. The clock starts at an arbitrary non-zero value so that no test depends on 0.
 */
final class TrackerHarness {
    static final long SECOND = 1_000_000_000L;
    static final Id20 TORRENT = torrent(1);

    final AtomicLong clock;
    final Tracker tracker;

    TrackerHarness() {
        this(TrackerConfig.defaults());
    }

    TrackerHarness(TrackerConfig config) {
        this(config, 7 * SECOND);
    }

    TrackerHarness(TrackerConfig config, long startNanos) {
        clock = new AtomicLong(startNanos);
        tracker = new Tracker(config, clock::get);
    }

    static TrackerHarness withLimits(LimitsBuilder limits) {
        return new TrackerHarness(new TrackerConfig(TrackerConfig.DEFAULT_INTERVAL_SECONDS, limits.build()));
    }

    void advanceSeconds(long seconds) {
        clock.addAndGet(seconds * SECOND);
    }

    void advanceNanos(long nanos) {
        clock.addAndGet(nanos);
    }

    // ---------------------------------------------------------------- ids

    /** A WebTorrent 2.8 peer_id, distinct for every n. */
    static Id20 peer(int n) {
        return latin1("-WW0208-" + String.format("%012d", n));
    }

    static Id20 torrent(int n) {
        return latin1(String.format("torrent-%012d", n));
    }

    static Id20 offer(int n) {
        return latin1(String.format("offer-%014d", n));
    }

    static Id20 latin1(String twenty) {
        Id20 id = Id20.fromLatin1(twenty);
        assertThat(id).as("test id %s", twenty).isNotNull();
        return id;
    }

    static Id20 bytesId(int... values) {
        byte[] b = new byte[Id20.LENGTH];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return Id20.of(b);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- connections

    /** A WebSocket connection as the tracker sees it, with everything delivered to it. */
    record Client(Session session, RecordingChannel channel) {
        List<Signal> signals() {
            return channel.signals();
        }
    }

    static final class RecordingChannel implements PeerChannel {
        private final List<Signal> delivered = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void deliver(Signal signal) {
            delivered.add(signal);
        }

        List<Signal> signals() {
            synchronized (delivered) {
                return List.copyOf(delivered);
            }
        }

        List<Signal.Offer> offers() {
            return signals().stream().filter(Signal.Offer.class::isInstance).map(Signal.Offer.class::cast).toList();
        }

        List<Signal.Answer> answers() {
            return signals().stream().filter(Signal.Answer.class::isInstance).map(Signal.Answer.class::cast).toList();
        }

        void clear() {
            delivered.clear();
        }
    }

    Client connect() {
        return connect("127.0.0.1");
    }

    Client connect(String ipLiteral) {
        RecordingChannel channel = new RecordingChannel();
        try {
            return new Client(tracker.openSession(channel, ip(ipLiteral)), channel);
        } catch (TrackerRefusal e) {
            throw new AssertionError("connection refused: " + e.getMessage(), e);
        }
    }

    void close(Client c) {
        tracker.closeSession(c.session());
    }

    // ---------------------------------------------------------------- requests

    AnnounceResult announce(Client c, Id20 infoHash, Id20 peerId, Event event, long left, OfferPayload... offers) {
        return tracker.announce(new AnnounceRequest(infoHash, peerId, event, left, 0, 0, 50, List.of(offers),
                c.session(), c.session().address(), 0));
    }

    AnnounceResult announce(Client c, Id20 peerId, Event event, long left, OfferPayload... offers) {
        return announce(c, TORRENT, peerId, event, left, offers);
    }

    AnnounceResult http(String ipLiteral, Id20 infoHash, Id20 peerId, Event event, long left, int port, int numWant) {
        return tracker.announce(new AnnounceRequest(infoHash, peerId, event, left, 0, 0, numWant, List.of(), null,
                ip(ipLiteral), port));
    }

    AnnounceResult http(String ipLiteral, Id20 peerId, Event event, long left) {
        return http(ipLiteral, TORRENT, peerId, event, left, 6881, 50);
    }

    String answer(Client from, Id20 infoHash, Id20 answerer, Id20 offerer, Id20 offerId, String sdpJson) {
        return tracker.answer(new AnswerRequest(infoHash, answerer, offerer, offerId, sdpJson, from.session()));
    }

    String answer(Client from, Id20 answerer, Id20 offerer, Id20 offerId) {
        return answer(from, TORRENT, answerer, offerer, offerId, answerSdp(offerId));
    }

    static OfferPayload offerPayload(int n) {
        return new OfferPayload(offer(n), "{\"type\":\"offer\",\"sdp\":\"v=0 offer " + n + "\"}");
    }

    static OfferPayload[] offerPayloads(int from, int count) {
        OfferPayload[] out = new OfferPayload[count];
        for (int i = 0; i < count; i++) {
            out[i] = offerPayload(from + i);
        }
        return out;
    }

    static String answerSdp(Id20 offerId) {
        return "{\"type\":\"answer\",\"sdp\":\"v=0 answer " + offerId.toHex() + "\"}";
    }

    // ---------------------------------------------------------------- inspection

    SwarmCounts counts(Id20 infoHash) {
        return tracker.scrape(infoHash);
    }

    SwarmCounts counts() {
        return counts(TORRENT);
    }

    TrackerStats.Snapshot stats() {
        return tracker.stats().snapshot();
    }

    /**
     * The swarm object itself, for the few facts the public API cannot show (pending offers).
     * Reads the tracker's private map; keep such use rare.
     */
    @SuppressWarnings("unchecked")
    Swarm swarm(Id20 infoHash) {
        try {
            Field f = Tracker.class.getDeclaredField("swarms");
            f.setAccessible(true);
            return ((Map<Id20, Swarm>) f.get(tracker)).get(infoHash);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Limits starting from the defaults, changed one bound at a time. */
    static final class LimitsBuilder {
        int maxOffersPerAnnounce = Limits.DEFAULTS.maxOffersPerAnnounce();
        int maxSwarmsPerConnection = Limits.DEFAULTS.maxSwarmsPerConnection();
        int maxConnections = Limits.DEFAULTS.maxConnections();
        int maxConnectionsPerIp = Limits.DEFAULTS.maxConnectionsPerIp();
        int maxNumWant = Limits.DEFAULTS.maxNumWant();
        int maxPendingOffersPerPeer = Limits.DEFAULTS.maxPendingOffersPerPeer();
        int maxTorrents = Limits.DEFAULTS.maxTorrents();
        int maxPeersPerTorrent = Limits.DEFAULTS.maxPeersPerTorrent();
        int offerTimeoutSeconds = Limits.DEFAULTS.offerTimeoutSeconds();

        static LimitsBuilder defaults() {
            return new LimitsBuilder();
        }

        LimitsBuilder maxOffersPerAnnounce(int v) {
            maxOffersPerAnnounce = v;
            return this;
        }

        LimitsBuilder maxSwarmsPerConnection(int v) {
            maxSwarmsPerConnection = v;
            return this;
        }

        LimitsBuilder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        LimitsBuilder maxConnectionsPerIp(int v) {
            maxConnectionsPerIp = v;
            return this;
        }

        LimitsBuilder maxPendingOffersPerPeer(int v) {
            maxPendingOffersPerPeer = v;
            return this;
        }

        LimitsBuilder maxTorrents(int v) {
            maxTorrents = v;
            return this;
        }

        LimitsBuilder maxPeersPerTorrent(int v) {
            maxPeersPerTorrent = v;
            return this;
        }

        LimitsBuilder offerTimeoutSeconds(int v) {
            offerTimeoutSeconds = v;
            return this;
        }

        Limits build() {
            Limits d = Limits.DEFAULTS;
            Limits l = new Limits(maxOffersPerAnnounce, d.maxSdpBytes(), d.maxFrameBytes(), d.maxScrapeHashes(),
                    maxSwarmsPerConnection, maxConnections, maxConnectionsPerIp, maxNumWant,
                    maxPendingOffersPerPeer, maxTorrents, maxPeersPerTorrent, d.messagesPerSecond(),
                    d.messageBurst(), d.maxQueuedBytesPerConnection(), offerTimeoutSeconds,
                    d.idleTimeoutSeconds());
            assertThat(l.problems()).as("test limits are valid").isEmpty();
            return l;
        }
    }
}
