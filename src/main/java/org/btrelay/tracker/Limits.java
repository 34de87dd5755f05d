package org.btrelay.tracker;

import java.util.ArrayList;
import java.util.List;

/**
 * Every bound the tracker enforces. Each has a default suited to a relay on a small server;
 * all can be set in the settings file ({@code "limits": {...}}) and on the command line.
 */
public record Limits(
        int maxOffersPerAnnounce,
        int maxSdpBytes,
        int maxFrameBytes,
        int maxScrapeHashes,
        int maxSwarmsPerConnection,
        int maxConnections,
        int maxConnectionsPerIp,
        int maxNumWant,
        int maxPendingOffersPerPeer,
        int maxTorrents,
        int maxPeersPerTorrent,
        int messagesPerSecond,
        int messageBurst,
        int maxQueuedBytesPerConnection,
        int offerTimeoutSeconds,
        int idleTimeoutSeconds) {

    public static final Limits DEFAULTS = new Limits(
            10,         // offers forwarded per announce (webtorrent sends 5)
            16 * 1024,  // one offer or answer object, as JSON
            64 * 1024,  // one WebSocket message
            100,        // info_hashes in one scrape, and torrents in a scrape of all
            500,        // torrents one WebSocket connection may join
            100_000,    // WebSocket connections in total
            256,        // WebSocket connections from one IP address
            200,        // peers in one HTTP announce reply
            50,         // offers a peer may wait answers for
            1_000_000,  // torrents tracked at once
            100_000,    // peers in one torrent
            20,         // sustained messages per second on one connection
            200,        // burst of messages on one connection (a client starting many torrents)
            1024 * 1024, // bytes queued for a slow reader before its connection is closed
            120,        // seconds an offer waits for its answer
            300);       // seconds a WebSocket connection may stay silent

    /** Human-readable problems, empty when every limit is usable. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        atLeast(out, "maxOffersPerAnnounce", maxOffersPerAnnounce, 0);
        atLeast(out, "maxSdpBytes", maxSdpBytes, 256);
        atLeast(out, "maxFrameBytes", maxFrameBytes, 1024);
        atLeast(out, "maxScrapeHashes", maxScrapeHashes, 1);
        atLeast(out, "maxSwarmsPerConnection", maxSwarmsPerConnection, 1);
        atLeast(out, "maxConnections", maxConnections, 1);
        atLeast(out, "maxConnectionsPerIp", maxConnectionsPerIp, 1);
        atLeast(out, "maxNumWant", maxNumWant, 0);
        atLeast(out, "maxPendingOffersPerPeer", maxPendingOffersPerPeer, 1);
        atLeast(out, "maxTorrents", maxTorrents, 1);
        atLeast(out, "maxPeersPerTorrent", maxPeersPerTorrent, 2);
        atLeast(out, "messagesPerSecond", messagesPerSecond, 1);
        atLeast(out, "messageBurst", messageBurst, 1);
        atLeast(out, "maxQueuedBytesPerConnection", maxQueuedBytesPerConnection, 64 * 1024);
        atLeast(out, "offerTimeoutSeconds", offerTimeoutSeconds, 1);
        atLeast(out, "idleTimeoutSeconds", idleTimeoutSeconds, 1);
        return out;
    }

    private static void atLeast(List<String> out, String name, int value, int min) {
        if (value < min) {
            out.add("limits." + name + " must be at least " + min + " (is " + value + ")");
        }
    }
}
