package org.btrelay.mesh;

import java.time.Duration;

/** How often links talk and how long the mesh waits; tests shorten these. */
public record MeshTiming(
        Duration health,
        Duration ping,
        Duration gossip,
        Duration heartbeatTimeout,
        Duration handshakeTimeout,
        Duration backoffMin,
        Duration backoffMax,
        Duration persist) {

    public static final MeshTiming DEFAULTS = new MeshTiming(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(60), Duration.ofSeconds(30));
}
