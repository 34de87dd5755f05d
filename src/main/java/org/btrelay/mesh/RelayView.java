package org.btrelay.mesh;

import java.util.List;
import org.btrelay.health.Health;

/**
 * What the mesh knows of one relay at a moment, for the APIs and the dashboard.
 *
 * @param relayState where this relay stands with it ({@link RelayState#LINKED} for this relay itself)
 * @param rttMs      round-trip time of the link, or {@code null} when unknown
 * @param health     the latest health sample, or {@code null}
 */
public record RelayView(
        String id,
        String name,
        String software,
        String httpUrl,
        List<String> trackers,
        List<String> swarms,
        RelayState relayState,
        Double rttMs,
        Health health,
        long lastSeenMillis,
        boolean self) {

    /** The state as the APIs write it: {@code connecting}, {@code linked}, {@code unreachable} or {@code down}. */
    public String state() {
        return relayState.wire();
    }

    /** Linked (or this relay) and not full: browsers may be sent here. */
    public boolean healthy() {
        return (self || relayState == RelayState.LINKED) && !full();
    }

    /** It said so in its latest health. */
    public boolean full() {
        return health != null && health.capacity() == org.btrelay.health.Capacity.FULL;
    }
}
