package org.btrelay.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link DhtNode} binds and bootstraps.
 *
 * @param bindAddress   the local IPv4 address to bind, or {@code null} (or the any-address) to let
 *                      mldht pick the address of the default route
 * @param port          UDP port; 0 picks a free one
 * @param bootstrap     extra nodes to bootstrap from ({@code --bootstrap HOST:PORT}); may be empty
 * @param publicRouters bootstrap from the public Mainline routers (production); {@code false} for a
 *                      private DHT (labs, tests)
 * @param storageDir    where mldht keeps its node id and routing table cache; created if missing
 */
public record DhtConfig(InetAddress bindAddress, int port, List<InetSocketAddress> bootstrap,
                        boolean publicRouters, Path storageDir) {

    public DhtConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("DHT port out of range: " + port);
        }
        bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
        Objects.requireNonNull(storageDir, "storageDir");
    }

    /** A node of a private DHT on one address (labs and tests): no public routers. */
    public static DhtConfig privateNode(InetAddress bindAddress, int port, Path storageDir) {
        return new DhtConfig(bindAddress, port, List.of(), false, storageDir);
    }
}
