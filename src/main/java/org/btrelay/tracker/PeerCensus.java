package org.btrelay.tracker;

import java.util.Map;

/**
 * Peers counted once each, by peer_id, across every torrent: the figures the reference tracker's
 * {@code /stats} reports, so that dashboards and scripts made for it read this relay unchanged.
 * A peer_id seeding one torrent and leeching another is "seeder and leecher".
 */
public record PeerCensus(long peers, long seederOnly, long leecherOnly, long seederAndLeecher, long ipv4, long ipv6,
                         Map<String, Map<String, Long>> clients) {
    public static final PeerCensus EMPTY = new PeerCensus(0, 0, 0, 0, 0, 0, Map.of());
}
