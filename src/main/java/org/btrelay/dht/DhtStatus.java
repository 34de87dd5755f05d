package org.btrelay.dht;

import java.net.InetSocketAddress;

/**
 * A snapshot of a {@link DhtNode}.
 *
 * @param running          started and not closed
 * @param routingTableSize nodes in the routing table
 * @param localAddress     the bound UDP address, {@code null} before start
 * @param publicAddress    our address as other DHT nodes see it, {@code null} while unknown
 * @param swarmCount       swarms joined
 */
public record DhtStatus(boolean running, int routingTableSize, InetSocketAddress localAddress,
                        InetSocketAddress publicAddress, int swarmCount) {
}
