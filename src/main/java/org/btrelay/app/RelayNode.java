package org.btrelay.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.btrelay.concurrent.DaemonThreads;
import org.btrelay.dht.DhtConfig;
import org.btrelay.dht.DhtNode;
import org.btrelay.dht.DhtStatus;
import org.btrelay.dht.DhtTiming;
import org.btrelay.health.HealthSampler;
import org.btrelay.mesh.Identity;
import org.btrelay.mesh.Mesh;
import org.btrelay.mesh.MeshTiming;
import org.btrelay.mesh.RelayView;
import org.btrelay.tracker.Tracker;
import org.btrelay.tracker.TrackerStats;
import org.btrelay.tracker.http.HttpTracker;
import org.btrelay.tracker.ws.WsTracker;
import org.btrelay.web.ApiHandlers;
import org.btrelay.web.RelayServer;
import org.btrelay.web.StatsPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay: the tracker core, its frontends, the web server, the links to other relays, the DHT
 * and the periodic housekeeping, started and stopped together. Needs no UI; the CLI, the
 * dashboard and tests all start it the same way.
 */
public final class RelayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayNode.class);
    static final long SWEEP_SECONDS = 15;

    private final RelaySettings settings;
    private final Path dataDir;
    private final MeshTiming meshTiming;
    private final DhtTiming dhtTiming;
    private final Identity identity;
    private final long startedAt = System.currentTimeMillis();
    private final Tracker tracker;
    private final WsTracker ws;
    private final RelayServer server;
    private final ScheduledExecutorService housekeeping;
    private volatile Mesh mesh;
    private volatile DhtNode dht;
    private volatile boolean started;
    private volatile boolean closed;

    /** A relay with no data folder: a throwaway identity, nothing saved (tests, tools). */
    public RelayNode(RelaySettings settings) {
        this(settings, null, MeshTiming.DEFAULTS);
    }

    /**
     * @param dataDir where the identity, the known relays and the DHT's state are kept, or
     *                {@code null} for none
     */
    public RelayNode(RelaySettings settings, Path dataDir, MeshTiming meshTiming) {
        this(settings, dataDir, meshTiming, DhtTiming.DEFAULTS);
    }

    /** With other timings: labs and tests speed up discovery, heartbeats and retries. */
    public RelayNode(RelaySettings settings, Path dataDir, MeshTiming meshTiming, DhtTiming dhtTiming) {
        this.settings = settings;
        this.dhtTiming = dhtTiming;
        this.dataDir = dataDir;
        this.meshTiming = meshTiming;
        try {
            this.identity = dataDir == null ? Identity.ephemeral() : Identity.loadOrCreate(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        this.tracker = new Tracker(settings.trackerConfig());
        this.ws = new WsTracker(tracker);
        StatsPages stats = new StatsPages(
                new StatsPages.NodeInfo(settings.name(), Version.get(), startedAt),
                tracker.stats()::snapshot, tracker::census);
        this.server = new RelayServer(bindHost(settings.host()), settings.port(), ws, new HttpTracker(tracker), stats,
                (exchange, channel) -> mesh.acceptor().onConnect(exchange, channel),
                new ApiHandlers(() -> mesh, this::dhtStatus));
        this.housekeeping = DaemonThreads.singleScheduled("relay-housekeeping");
    }

    /**
     * Binds the server, starts the mesh and the DHT, and starts housekeeping. The server answers
     * 503 on the mesh's routes until the mesh is there.
     */
    public RelayNode start() throws BindException {
        server.start();
        started = true;
        HealthSampler sampler = new HealthSampler(tracker.stats()::snapshot, settings.limits().maxConnections(),
                settings.capacity(), startedAt);
        String httpUrl = selfUrl();
        List<String> trackers = new ArrayList<>();
        if (httpUrl != null) {
            trackers.add(httpUrl.replaceFirst("^http", "ws") + "announce");
        }
        mesh = new Mesh(identity, new Mesh.Config(settings.name(), "bittorrent-relay/" + Version.get(), httpUrl,
                trackers, settings.swarms(), meshTiming), sampler::sample, dataDir);
        mesh.start();
        server.meshReady();
        tracker.setAdmission(this::refusalWhenFull);
        for (String peer : settings.peers()) {
            mesh.addPeer(peer);
        }
        if (settings.dht()) {
            try {
                startDht();
            } catch (IOException e) {
                close();
                BindException be = new BindException(e.getMessage());
                be.initCause(e);
                throw be;
            }
        }
        TrackerStats stats = tracker.stats();
        housekeeping.scheduleAtFixedRate(() -> guarded(() -> stats.tick(System.nanoTime())), 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleAtFixedRate(() -> guarded(() -> {
            tracker.sweep();
            ws.closeIdle();
        }), SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        log.info("relay '{}' listening on {}", settings.name(), server.address());
        return this;
    }

    private void startDht() throws IOException {
        InetAddress bind = settings.host().isBlank() ? null : InetAddress.getByName(settings.host());
        int port = settings.dhtPort() == -1 ? port() : settings.dhtPort();
        List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (String b : settings.bootstrap()) {
            InetSocketAddress unresolved = RelaySettings.hostPort(b);
            bootstrap.add(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()));
        }
        Path storage = dataDir != null ? dataDir.resolve("dht")
                : java.nio.file.Files.createTempDirectory("bittorrent-relay-dht");
        DhtNode node = new DhtNode(new DhtConfig(bind, port, bootstrap, bootstrap.isEmpty(), storage), dhtTiming);
        node.onPeerFound((swarm, address) -> mesh.addressFound(address));
        node.start();
        dht = node;
        for (String swarm : settings.swarms()) {
            node.join(swarm, port());
        }
    }

    /**
     * While this relay reports itself full, new WebSocket peers are sent to other relays of its
     * swarms; the peers it has keep being served.
     */
    private String refusalWhenFull() {
        List<RelayView> relays = mesh.relays();
        RelayView self = relays.get(0);
        if (!self.full()) {
            return null;
        }
        List<String> others = relays.stream()
                .filter(r -> !r.self() && r.healthy() && !r.trackers().isEmpty()
                        && r.swarms().stream().anyMatch(self.swarms()::contains))
                .limit(3).map(r -> r.trackers().get(0)).toList();
        return "this relay is full" + (others.isEmpty() ? "" : "; try " + String.join(" ", others));
    }

    /** Joins a swarm now: announced and looked up on the DHT, and told to linked relays. */
    public void joinSwarm(String key) {
        mesh.joinSwarm(key);
        DhtNode d = dht;
        if (d != null) {
            d.join(key, port());
        }
    }

    public void leaveSwarm(String key) {
        mesh.leaveSwarm(key);
        DhtNode d = dht;
        if (d != null) {
            d.leave(key);
        }
    }

    public Mesh mesh() {
        return mesh;
    }

    public DhtNode dht() {
        return dht;
    }

    public String id() {
        return identity.id();
    }

    ObjectNode dhtStatus() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        DhtNode d = dht;
        if (d == null) {
            o.put("running", false);
            return o;
        }
        DhtStatus s = d.status();
        o.put("running", s.running());
        o.put("routingTableSize", s.routingTableSize());
        o.put("localAddress", String.valueOf(s.localAddress()));
        o.put("publicAddress", s.publicAddress() == null ? null : s.publicAddress().toString());
        return o;
    }

    /** How others reach this relay: the public URL, else the bound address if it is a specific one. */
    private String selfUrl() {
        String pub = settings.publicUrl();
        if (pub != null && !pub.isBlank()) {
            URI u = URI.create(pub);
            String scheme = u.getScheme().startsWith("ws") ? u.getScheme().replace("ws", "http") : u.getScheme();
            return scheme + "://" + u.getRawAuthority() + "/";
        }
        if (!server.address().getAddress().isAnyLocalAddress()) {
            return httpUrl();
        }
        return null;
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A failed round must not cancel the schedule.
            log.error("housekeeping failed", e);
        }
    }

    public Tracker tracker() {
        return tracker;
    }

    public RelaySettings settings() {
        return settings;
    }

    public int port() {
        return server.address().getPort();
    }

    /** The address clients on this machine can use: the bound one, or loopback for a wildcard bind. */
    public String localHost() {
        InetSocketAddress a = server.address();
        if (a.getAddress().isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    public String wsUrl() {
        return "ws://" + localHost() + ":" + port() + "/";
    }

    public String httpUrl() {
        return "http://" + localHost() + ":" + port() + "/";
    }

    /**
     * Says goodbye to every WebSocket client (close code 1001), waits briefly for the close frames
     * to go out, then stops the server. Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.shutdownNow();
        DhtNode d = dht;
        if (d != null) {
            d.close();
        }
        Mesh m = mesh;
        if (m != null) {
            m.close();
        }
        if (started) {
            ws.closeAll();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (ws.connectionCount() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            server.stop();
            log.info("relay '{}' stopped", settings.name());
        }
    }

    /** An empty host means every address: dual-stack where the OS allows it. */
    static String bindHost(String host) {
        if (host != null && !host.isBlank()) {
            return host;
        }
        return ipv6Available() ? "::" : "0.0.0.0";
    }

    private static boolean ipv6Available() {
        if (Boolean.getBoolean("java.net.preferIPv4Stack")) {
            return false;
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new InetSocketAddress(java.net.InetAddress.getByName("::"), 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
