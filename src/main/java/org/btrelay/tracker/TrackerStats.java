package org.btrelay.tracker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters kept as peers come and go, so that stats never walk the swarms.
 */
public final class TrackerStats {
    /** Distinct client name/version pairs counted; the rest are counted as "other". */
    static final int MAX_CLIENT_KINDS = 256;

    /** Also the admission count for maxTorrents, so it must be exact at every moment. */
    final AtomicLong torrents = new AtomicLong();
    final LongAdder activeTorrents = new LongAdder();
    final LongAdder peers = new LongAdder();
    final LongAdder seeders = new LongAdder();
    final LongAdder ipv4 = new LongAdder();
    final LongAdder ipv6 = new LongAdder();
    final LongAdder connections = new LongAdder();
    final RateMeter announces = new RateMeter();
    final RateMeter offersForwarded = new RateMeter();
    final RateMeter answersForwarded = new RateMeter();
    final RateMeter scrapes = new RateMeter();
    final LongAdder refusals = new LongAdder();
    /** Malformed offers a frontend left out of announces it served. */
    private final LongAdder offersDropped = new LongAdder();
    private final ConcurrentHashMap<ClientNames.Client, LongAdder> clients = new ConcurrentHashMap<>();
    private static final ClientNames.Client OTHER = new ClientNames.Client("other", "other");

    void peerAdded(Peer p) {
        peers.increment();
        if (p.seeder) {
            seeders.increment();
        }
        (p.ipv6 ? ipv6 : ipv4).increment();
        clientCounter(ClientNames.of(p.peerId)).increment();
    }

    void peerRemoved(Peer p) {
        peers.decrement();
        if (p.seeder) {
            seeders.decrement();
        }
        (p.ipv6 ? ipv6 : ipv4).decrement();
        clientCounter(ClientNames.of(p.peerId)).decrement();
    }

    void seederChanged(boolean nowSeeder) {
        if (nowSeeder) {
            seeders.increment();
        } else {
            seeders.decrement();
        }
    }

    private LongAdder clientCounter(ClientNames.Client c) {
        LongAdder a = clients.get(c);
        if (a != null) {
            return a;
        }
        if (clients.size() >= MAX_CLIENT_KINDS) {
            return clients.computeIfAbsent(OTHER, k -> new LongAdder());
        }
        return clients.computeIfAbsent(c, k -> new LongAdder());
    }

    /** Counts offers a frontend did not forward because they were malformed. */
    public void offersDropped(int n) {
        offersDropped.add(n);
    }

    /** Advances the rate meters; called about once a second. */
    public void tick(long nowNanos) {
        announces.tick(nowNanos);
        offersForwarded.tick(nowNanos);
        answersForwarded.tick(nowNanos);
        scrapes.tick(nowNanos);
    }

    public Snapshot snapshot() {
        Map<String, Map<String, Long>> byClient = new TreeMap<>();
        clients.forEach((c, n) -> {
            long v = n.sum();
            if (v > 0) {
                byClient.computeIfAbsent(c.name(), k -> new TreeMap<>()).put(c.version(), v);
            }
        });
        long p = peers.sum();
        long s = seeders.sum();
        return new Snapshot(torrents.get(), activeTorrents.sum(), p, s, p - s, ipv4.sum(), ipv6.sum(),
                connections.sum(), announces.total(), announces.perSecond(), offersForwarded.total(),
                offersForwarded.perSecond(), answersForwarded.total(), answersForwarded.perSecond(),
                scrapes.total(), refusals.sum(), offersDropped.sum(), byClient);
    }

    /** A consistent-enough copy of the counters for display and JSON. */
    public record Snapshot(
            long torrents,
            long activeTorrents,
            long peers,
            long seeders,
            long leechers,
            long peersIpv4,
            long peersIpv6,
            long connections,
            long announces,
            double announcesPerSecond,
            long offersForwarded,
            double offersForwardedPerSecond,
            long answersForwarded,
            double answersForwardedPerSecond,
            long scrapes,
            long refusals,
            long offersDropped,
            Map<String, Map<String, Long>> clients) {}
}
