package org.btrelay.tracker;

import java.util.HashMap;

/**
 * The peers of one torrent. Every field is guarded by the swarm's own monitor; a swarm that was
 * pruned is marked {@code dead} so that a request that raced the sweep tries again.
 */
final class Swarm {
    final Id20 infoHash;
    final HashMap<Id20, Peer> peers = new HashMap<>(4);
    /** WebSocket peers: the ones offers can be forwarded to. */
    final PeerList rtc = new PeerList();
    /** HTTP/UDP peers: the ones whose addresses are handed out. */
    final PeerList addr = new PeerList();
    int seeders;
    int leechers;
    int downloaded;
    boolean dead;

    Swarm(Id20 infoHash) {
        this.infoHash = infoHash;
    }

    int size() {
        return peers.size();
    }

    void add(Peer p) {
        peers.put(p.peerId, p);
        (p.isRtc() ? rtc : addr).add(p);
        if (p.seeder) {
            seeders++;
        } else {
            leechers++;
        }
    }

    void remove(Peer p) {
        peers.remove(p.peerId);
        (p.isRtc() ? rtc : addr).remove(p);
        if (p.seeder) {
            seeders--;
        } else {
            leechers--;
        }
    }

    void setSeeder(Peer p, boolean seeder) {
        if (p.seeder != seeder) {
            p.seeder = seeder;
            seeders += seeder ? 1 : -1;
            leechers += seeder ? -1 : 1;
        }
    }

    SwarmCounts counts() {
        return new SwarmCounts(seeders, leechers, downloaded);
    }
}
