package org.btrelay.lab;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.btrelay.app.RelayNode;
import org.btrelay.app.RelaySettings;
import org.btrelay.dht.DhtTiming;
import org.btrelay.health.CapacityThresholds;
import org.btrelay.dht.LoopbackDht;
import org.btrelay.mesh.MeshTiming;

/**
 * N real relays in this JVM, relay i on 127.0.0.(i+2), all on one port number, joined by a
 * private DHT on loopback (mldht patched to accept 127.0.0.0/8, see {@link LoopbackDht}).
 * Nothing leaves the machine: every relay bootstraps from another lab relay.
 */
public final class LabNetwork implements AutoCloseable {
    /** Fast timings so that tests see links, heartbeats and failures within seconds. */
    public static final MeshTiming FAST = new MeshTiming(Duration.ofMillis(300), Duration.ofMillis(300),
            Duration.ofMillis(700), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(200),
            Duration.ofSeconds(1), Duration.ofMillis(300));

    private final List<RelayNode> relays = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final List<RelaySettings> settings = new ArrayList<>();
    private final MeshTiming timing;
    private final int port;

    private LabNetwork(MeshTiming timing, int port) {
        this.timing = timing;
        this.port = port;
    }

    /** Discovery on loopback: look up every half second at first (a round trip takes a millisecond). */
    static final DhtTiming DHT = DhtTiming.FAST;

    /**
     * Starts {@code n} relays.
     *
     * @param dht   link through the DHT (true) or through {@code --peer} to relay 0 only (false)
     * @param base  folder for each relay's data folder
     */
    public static LabNetwork start(int n, boolean dht, MeshTiming timing, Path base) throws IOException {
        if (n < 1 || n > 250) {
            throw new IllegalArgumentException("1 to 250 relays");
        }
        if (dht) {
            LoopbackDht.install();
        }
        LabNetwork lab = new LabNetwork(timing, freePortOnAll(n));
        for (int i = 0; i < n; i++) {
            String host = address(i).getHostAddress();
            List<String> bootstrap = List.of(address(i == 0 ? 1 : 0).getHostAddress() + ":" + lab.port);
            List<String> peers = dht || i == 0 ? List.of() : List.of("http://" + address(0).getHostAddress() + ":" + lab.port);
            RelaySettings s = RelaySettings.defaults().withName("lab relay " + (i + 1))
                    .withNetwork(host, lab.port, dht, -1)
                    .withMesh(List.of(RelaySettings.DEFAULT_SWARM), dht ? bootstrap : List.of(), peers)
                    // All lab relays share one machine's CPU: judge capacity by connections only.
                    .withCapacity(new CapacityThresholds(1, 1, 0.80, 0.95));
            Path dir = Files.createDirectories(base.resolve("relay-" + (i + 1)));
            lab.settings.add(s);
            lab.dataDirs.add(dir);
            lab.relays.add(null);
            lab.startRelay(i);
        }
        return lab;
    }

    /** (Re)starts relay {@code i} with its data folder, so with the same identity. */
    public RelayNode startRelay(int i) throws IOException {
        RelayNode node = new RelayNode(settings.get(i), dataDirs.get(i), timing, DHT);
        node.start();
        relays.set(i, node);
        return node;
    }

    public void stopRelay(int i) {
        RelayNode node = relays.get(i);
        if (node != null) {
            node.close();
            relays.set(i, null);
        }
    }

    public RelayNode relay(int i) {
        return relays.get(i);
    }

    public int size() {
        return relays.size();
    }

    public String httpUrl(int i) {
        return "http://" + address(i).getHostAddress() + ":" + port + "/";
    }

    public static InetAddress address(int i) {
        return LoopbackDht.address(i + 2);
    }

    @Override
    public void close() {
        for (int i = 0; i < relays.size(); i++) {
            stopRelay(i);
        }
    }

    /** A port number free for TCP and UDP on every lab address. */
    static int freePortOnAll(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate;
            try (ServerSocket s = new ServerSocket(0, 1, address(0))) {
                candidate = s.getLocalPort();
            }
            if (freeEverywhere(candidate, n)) {
                return candidate;
            }
        }
        throw new IOException("no port is free on all " + n + " lab addresses");
    }

    private static boolean freeEverywhere(int port, int n) {
        for (int i = 0; i < n; i++) {
            try (ServerSocket s = new ServerSocket(port, 1, address(i));
                 DatagramSocket d = new DatagramSocket(new InetSocketAddress(address(i), port))) {
                // both bind: free
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
