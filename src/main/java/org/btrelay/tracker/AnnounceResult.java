package org.btrelay.tracker;

import java.util.List;

/**
 * What an announce got: a refusal ({@code failure} set) or the torrent's counts, the interval and,
 * for address-based clients, peers to dial.
 */
public record AnnounceResult(
        String failure, int complete, int incomplete, int intervalSeconds, List<PeerAddress> peers) {

    static AnnounceResult refused(String reason, int intervalSeconds) {
        return new AnnounceResult(reason, 0, 0, intervalSeconds, List.of());
    }

    public boolean ok() {
        return failure == null;
    }
}
