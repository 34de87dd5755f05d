package org.btrelay.dht;

import java.net.InetSocketAddress;

/**
 * Told about every relay address a swarm lookup yields (IP as the DHT saw the announcer, port as
 * it announced). Called on a DHT thread: return quickly, hand real work to another executor.
 */
@FunctionalInterface
public interface PeerListener {
    void found(String swarmKey, InetSocketAddress address);
}
