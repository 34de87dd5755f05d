package org.btrelay.ui.service;

import java.util.List;
import org.btrelay.app.RelaySettings;
import org.btrelay.dht.DhtStatus;
import org.btrelay.health.Health;
import org.btrelay.mesh.RelayView;
import org.btrelay.tracker.TrackerStats;

/**
 * Everything the dashboard shows, read in one go off the UI thread. Immutable; the UI applies one
 * of these a few times a second at most.
 *
 * @param node      this relay's addresses, or {@code null} while it is not running
 * @param stats     tracker counters, or {@code null} while not running
 * @param relays    every relay known, this one first (empty while not running)
 * @param swarms    the swarms this relay serves now
 * @param dht       DHT status, or {@code null} when the DHT is off or the relay is not running
 * @param health    a fresh sample of this relay for the charts, or {@code null} when none is due
 * @param torrents  up to {@link Sampler#MAX_TORRENTS} torrents, or {@code null} when not asked for
 * @param historyOf the relay whose history is included, or {@code null}
 * @param history   that relay's health samples, oldest first
 */
public record Snapshot(
        long seq,
        long timeMillis,
        NodeService.Phase phase,
        String message,
        RelaySettings settings,
        NodeInfo node,
        TrackerStats.Snapshot stats,
        List<RelayView> relays,
        List<String> swarms,
        DhtStatus dht,
        Health health,
        List<TorrentInfo> torrents,
        int torrentCount,
        String historyOf,
        List<Health> history) {

    /** How this relay is reached and since when it runs. */
    public record NodeInfo(String id, String name, String wsUrl, String httpUrl, int port, long startedAtMillis,
                           RelaySettings running) {}

    /** One torrent's scrape figures. */
    public record TorrentInfo(String infoHash, int seeders, int leechers, int completed) {}
}
