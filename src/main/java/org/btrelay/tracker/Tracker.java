package org.btrelay.tracker;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The protocol-free tracker: every frontend (WebSocket, HTTP, later UDP and linked relays) meets
 * here with plain requests.
 *
 * <h2>Concurrency</h2>
 * Swarms live in a {@link ConcurrentHashMap} keyed by info_hash; each swarm is guarded by its own
 * monitor, held only for the few map and counter updates of one request. Requests for different
 * torrents run in parallel on every I/O thread without contention; requests for one torrent are
 * serialised, which is what keeps its counts exact. Signals (offers, answers) are collected under
 * the lock and handed to the peers' channels after it is released, so a slow socket never holds
 * a swarm. A periodic {@link #sweep()} expires peers and offers and prunes empty swarms; a swarm
 * it prunes is marked dead under its lock, and a request that raced it simply retries.
 * Statistics are {@link java.util.concurrent.atomic.LongAdder}s updated as peers change.
 */
public final class Tracker {
    static final String OFFER_NOT_FOUND = "Could not find the offer, it may have expired";

    private final TrackerConfig config;
    private final Limits limits;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<Id20, Swarm> swarms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> connectionsPerIp = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final TrackerStats stats = new TrackerStats();
    private volatile Admission admission = () -> null;

    /**
     * Whether new WebSocket peers may join at all (e.g. not while the relay is full). Asked under a
     * swarm's lock: it must be cheap.
     */
    public interface Admission {
        /** A refusal reason for the client, or {@code null} to let the peer in. */
        String refuseNewPeer();
    }

    public Tracker(TrackerConfig config) {
        this(config, System::nanoTime);
    }

    public Tracker(TrackerConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.limits = config.limits();
        this.nanoClock = nanoClock;
    }

    public TrackerConfig config() {
        return config;
    }

    public TrackerStats stats() {
        return stats;
    }

    public void setAdmission(Admission admission) {
        this.admission = admission;
    }

    // ---------------------------------------------------------------- connections

    /** Admits a long-lived connection, within the total and per-IP limits. */
    public Session openSession(PeerChannel channel, InetAddress address) throws TrackerRefusal {
        if (connections.incrementAndGet() > limits.maxConnections()) {
            connections.decrementAndGet();
            throw new TrackerRefusal("too many connections to this relay");
        }
        AtomicInteger perIp = connectionsPerIp.compute(address, (k, v) -> {
            AtomicInteger n = v == null ? new AtomicInteger() : v;
            n.incrementAndGet();
            return n;
        });
        if (perIp.get() > limits.maxConnectionsPerIp()) {
            releaseIp(address);
            connections.decrementAndGet();
            throw new TrackerRefusal("too many connections from " + address.getHostAddress());
        }
        stats.connections.increment();
        return new Session(channel, address);
    }

    /** Removes every peer the connection announced, in every swarm, and frees its slot. */
    public void closeSession(Session session) {
        List<Session.Membership> joined = session.close();
        if (joined == null) {
            return;
        }
        for (Session.Membership m : joined) {
            Swarm swarm = swarms.get(m.infoHash());
            if (swarm == null) {
                continue;
            }
            synchronized (swarm) {
                Peer p = swarm.peers.get(m.peerId());
                if (p != null && p.session == session) {
                    removePeer(swarm, p);
                }
            }
        }
        releaseIp(session.address());
        connections.decrementAndGet();
        stats.connections.decrement();
    }

    private void releaseIp(InetAddress address) {
        connectionsPerIp.computeIfPresent(address, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    // ---------------------------------------------------------------- announce

    public AnnounceResult announce(AnnounceRequest r) {
        stats.announces.mark();
        int interval = config.intervalSeconds();
        byte[] ip = r.session() == null ? PeerAddress.bytesOf(r.ip()) : null;
        long now = nanoClock.getAsLong();
        List<Delivery> deliveries = null;
        AnnounceResult result;
        while (true) {
            Swarm swarm = r.event() == Event.STOPPED ? swarms.get(r.infoHash()) : swarmFor(r.infoHash());
            if (swarm == null) {
                result = r.event() == Event.STOPPED
                        ? new AnnounceResult(null, 0, 0, interval, List.of())
                        : AnnounceResult.refused("this relay tracks too many torrents", interval);
                break;
            }
            synchronized (swarm) {
                if (swarm.dead) {
                    continue;
                }
                Peer p = swarm.peers.get(r.peerId());
                if (p != null && !p.ownedBy(r.session(), ip)) {
                    result = AnnounceResult.refused("peer_id is in use by another connection", interval);
                    break;
                }
                if (r.event() == Event.STOPPED) {
                    if (p != null) {
                        removePeer(swarm, p);
                    }
                    result = new AnnounceResult(null, swarm.seeders, swarm.leechers, interval, List.of());
                    break;
                }
                if (p == null) {
                    String refusal = admit(swarm, r);
                    if (refusal != null) {
                        result = AnnounceResult.refused(refusal, interval);
                        break;
                    }
                    p = new Peer(r.peerId(), r.session(), ip, r.port(),
                            r.session() != null ? r.session().ipv6() : ip.length == 16);
                    p.seeder = r.isSeeder();
                    p.lastSeenNanos = now;
                    swarm.add(p);
                    stats.peerAdded(p);
                    if (swarm.size() == 1) {
                        stats.activeTorrents.increment();
                    }
                } else {
                    update(swarm, p, r, now);
                }
                if (r.session() != null && !r.offers().isEmpty()) {
                    deliveries = forwardOffers(swarm, p, r, now);
                }
                List<PeerAddress> peers = r.session() == null ? addressesFor(swarm, p, r.numWant()) : List.of();
                result = new AnnounceResult(null, swarm.seeders, swarm.leechers, interval, peers);
                break;
            }
        }
        if (!result.ok()) {
            stats.refusals.increment();
        }
        deliver(deliveries);
        return result;
    }

    private Swarm swarmFor(Id20 infoHash) {
        Swarm s = swarms.get(infoHash);
        if (s != null) {
            return s;
        }
        // Counted before the swarm exists, so racing announces cannot pass the limit together.
        return swarms.computeIfAbsent(infoHash, k -> {
            if (stats.torrents.incrementAndGet() > limits.maxTorrents()) {
                stats.torrents.decrementAndGet();
                return null;
            }
            return new Swarm(k);
        });
    }

    /** Checks a new peer against the limits and registers it with its connection. */
    private String admit(Swarm swarm, AnnounceRequest r) {
        if (swarm.size() >= limits.maxPeersPerTorrent()) {
            return "this torrent has too many peers on this relay";
        }
        if (r.session() != null) {
            String refusal = admission.refuseNewPeer();
            if (refusal != null) {
                return refusal;
            }
            // The swarm's own key, not the request's copy of it: one fewer id kept per peer.
            switch (r.session().admit(swarm.infoHash, r.peerId(), limits.maxSwarmsPerConnection())) {
                case FULL:
                    return "too many torrents on one connection (at most " + limits.maxSwarmsPerConnection() + ")";
                case CLOSED:
                    return "connection closed";
                default:
                    break;
            }
        }
        return null;
    }

    private void update(Swarm swarm, Peer p, AnnounceRequest r, long now) {
        p.lastSeenNanos = now;
        if (!p.isRtc()) {
            p.port = r.port();
        }
        boolean seeder = r.isSeeder();
        if (r.event() == Event.COMPLETED && !p.seeder && !p.completionCounted) {
            // Only a peer we saw leeching has completed a download here.
            swarm.downloaded++;
            p.completionCounted = true;
            seeder = true;
        }
        if (seeder != p.seeder) {
            swarm.setSeeder(p, seeder);
            stats.seederChanged(seeder);
        }
    }

    private List<Delivery> forwardOffers(Swarm swarm, Peer from, AnnounceRequest r, long now) {
        List<OfferPayload> offers = r.offers();
        int want = Math.min(offers.size(), limits.maxOffersPerAnnounce());
        Peer[] targets = new Peer[want];
        int n = swarm.rtc.sample(want, from, targets);
        if (n == 0) {
            return null;
        }
        if (from.pending == null) {
            from.pending = new PendingOffers(limits.maxPendingOffersPerPeer());
        }
        long expires = now + config.offerTimeoutNanos();
        List<Delivery> out = new ArrayList<>(n);
        // Every offer goes to a distinct other peer, as the reference tracker does, even to a peer
        // whose own offer to this one still waits for an answer: glare is the clients' to resolve
        // (trystero's smaller id never answers while its own offer is out, so the larger one must
        // get it; WebTorrent drops a duplicate connection).
        for (int i = 0; i < n; i++) {
            Peer to = targets[i];
            OfferPayload offer = offers.get(i);
            from.pending.add(offer.offerId(), to.peerId, expires);
            out.add(new Delivery(to.session.channel(),
                    new Signal.Offer(r.infoHash(), from.peerId, offer.offerId(), offer.sdpJson())));
        }
        stats.offersForwarded.mark(n);
        return out;
    }

    private static List<PeerAddress> addressesFor(Swarm swarm, Peer self, int numWant) {
        Peer[] picked = new Peer[Math.max(0, Math.min(numWant, swarm.addr.size()))];
        int n = swarm.addr.sample(picked.length, self, picked);
        List<PeerAddress> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(picked[i].address());
        }
        return out;
    }

    // ---------------------------------------------------------------- answers

    /**
     * Routes an answer back to the peer that made the offer, if that offer was sent to this
     * answerer and has not expired.
     *
     * @return {@code null} when routed, else the failure reason
     */
    public String answer(AnswerRequest r) {
        Delivery delivery;
        Swarm swarm = swarms.get(r.infoHash());
        if (swarm == null) {
            return refuse(OFFER_NOT_FOUND);
        }
        long now = nanoClock.getAsLong();
        synchronized (swarm) {
            Peer answerer = swarm.peers.get(r.peerId());
            if (answerer == null || answerer.session != r.session()) {
                return refuse(answerer == null ? OFFER_NOT_FOUND : "peer_id is in use by another connection");
            }
            answerer.lastSeenNanos = now;
            Peer offerer = swarm.peers.get(r.toPeerId());
            if (offerer == null || offerer.pending == null || !offerer.pending.take(r.offerId(), r.peerId(), now)) {
                return refuse(OFFER_NOT_FOUND);
            }
            delivery = new Delivery(offerer.session.channel(),
                    new Signal.Answer(r.infoHash(), r.peerId(), r.offerId(), r.sdpJson()));
        }
        stats.answersForwarded.mark();
        delivery.send();
        return null;
    }

    private String refuse(String reason) {
        stats.refusals.increment();
        return reason;
    }

    // ---------------------------------------------------------------- scrape

    public SwarmCounts scrape(Id20 infoHash) {
        stats.scrapes.mark();
        Swarm swarm = swarms.get(infoHash);
        if (swarm == null) {
            return SwarmCounts.EMPTY;
        }
        synchronized (swarm) {
            return swarm.counts();
        }
    }

    /** Counts of up to {@code limit} torrents (a scrape that names none). */
    public Map<Id20, SwarmCounts> scrapeAll(int limit) {
        stats.scrapes.mark();
        return torrents(limit);
    }

    /** Counts of up to {@code limit} torrents, for the stats pages and the dashboard. */
    public Map<Id20, SwarmCounts> torrents(int limit) {
        Map<Id20, SwarmCounts> out = new LinkedHashMap<>();
        for (Swarm swarm : swarms.values()) {
            if (out.size() >= limit) {
                break;
            }
            synchronized (swarm) {
                if (!swarm.dead) {
                    out.put(swarm.infoHash, swarm.counts());
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- census

    /** A census is reused for at most this long, and for at least 100 times what it cost to take. */
    static final long CENSUS_MAX_AGE_NANOS = 5_000_000_000L;
    private final Object censusLock = new Object();
    private PeerCensus census;
    private long censusAt;
    private long censusReuseNanos;

    /**
     * Peers counted once each across torrents (see {@link PeerCensus}). It walks every swarm, one
     * lock at a time, so a census is reused for 100 times what the last one cost (at most five
     * seconds): fresh on a small relay, and never more than about 1 % of a core however often the
     * stats are asked for.
     */
    public PeerCensus census() {
        synchronized (censusLock) {
            long now = nanoClock.getAsLong();
            if (census == null || now - censusAt >= censusReuseNanos) {
                long t0 = System.nanoTime();
                census = takeCensus();
                censusReuseNanos = Math.min(CENSUS_MAX_AGE_NANOS, 100 * (System.nanoTime() - t0));
                censusAt = now;
            }
            return census;
        }
    }

    private static final int SEEDS = 1;
    private static final int LEECHES = 2;
    private static final int IPV4 = 4;
    private static final int IPV6 = 8;

    private PeerCensus takeCensus() {
        java.util.HashMap<Id20, Integer> flags = new java.util.HashMap<>();
        for (Swarm swarm : swarms.values()) {
            synchronized (swarm) {
                for (Peer p : swarm.peers.values()) {
                    int f = (p.seeder ? SEEDS : LEECHES) | (p.ipv6 ? IPV6 : IPV4);
                    flags.merge(p.peerId, f, (a, b) -> a | b);
                }
            }
        }
        long seederOnly = 0;
        long leecherOnly = 0;
        long both = 0;
        long ipv4 = 0;
        long ipv6 = 0;
        Map<String, Map<String, Long>> clients = new java.util.TreeMap<>();
        for (Map.Entry<Id20, Integer> e : flags.entrySet()) {
            int f = e.getValue();
            boolean seeds = (f & SEEDS) != 0;
            boolean leeches = (f & LEECHES) != 0;
            if (seeds && leeches) {
                both++;
            } else if (seeds) {
                seederOnly++;
            } else {
                leecherOnly++;
            }
            ipv4 += (f & IPV4) != 0 ? 1 : 0;
            ipv6 += (f & IPV6) != 0 ? 1 : 0;
            ClientNames.Client client = ClientNames.of(e.getKey());
            clients.computeIfAbsent(client.name(), k -> new java.util.TreeMap<>()).merge(client.version(), 1L, Long::sum);
        }
        return new PeerCensus(flags.size(), seederOnly, leecherOnly, both, ipv4, ipv6, clients);
    }

    // ---------------------------------------------------------------- expiry

    /**
     * Drops peers silent for two intervals, offers past their timeout and swarms left empty.
     * Run periodically by the owner; cost is linear in the number of peers.
     */
    public void sweep() {
        long now = nanoClock.getAsLong();
        long peerTimeout = config.peerTimeoutNanos();
        for (Swarm swarm : swarms.values()) {
            synchronized (swarm) {
                expire(swarm, swarm.rtc, now, peerTimeout);
                expire(swarm, swarm.addr, now, peerTimeout);
                for (int i = 0; i < swarm.rtc.size(); i++) {
                    Peer p = swarm.rtc.get(i);
                    if (p.pending != null && !p.pending.purge(now)) {
                        p.pending = null;
                    }
                }
                if (swarm.size() == 0 && !swarm.dead) {
                    swarm.dead = true;
                    swarms.remove(swarm.infoHash, swarm);
                    stats.torrents.decrementAndGet();
                }
            }
        }
    }

    private void expire(Swarm swarm, PeerList list, long now, long timeout) {
        // Backwards: removal swaps the last peer into the hole, which was already visited.
        for (int i = list.size() - 1; i >= 0; i--) {
            if (i >= list.size()) {
                continue;
            }
            Peer p = list.get(i);
            if (now - p.lastSeenNanos > timeout) {
                removePeer(swarm, p);
            }
        }
    }

    private void removePeer(Swarm swarm, Peer p) {
        swarm.remove(p);
        stats.peerRemoved(p);
        if (p.session != null) {
            p.session.forget(swarm.infoHash, p.peerId);
        }
        if (swarm.size() == 0) {
            stats.activeTorrents.decrement();
        }
    }

    private static void deliver(List<Delivery> deliveries) {
        if (deliveries != null) {
            for (Delivery d : deliveries) {
                d.send();
            }
        }
    }

    private record Delivery(PeerChannel channel, Signal signal) {
        void send() {
            channel.deliver(signal);
        }
    }
}
