package org.btrelay.dht;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.Node;
import lbms.plugins.mldht.kad.PeerAddressDBItem;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.utils.AddressUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This relay's node in the BitTorrent Mainline DHT (IPv4, mldht): it announces the relay's HTTP
 * port on every joined swarm's target and looks the target up, telling {@link PeerListener}s about
 * the other relays it finds.
 *
 * <p>Threads: every call into mldht runs on this node's own single-threaded scheduler, which is
 * also mldht's scheduler. mldht needs that on loopback: with a shared scheduler a reply can arrive
 * before its request is marked sent, and the request then times out (docs/dht.md). Listeners are
 * called on mldht's threads. The public methods are thread-safe.
 *
 * <p>mldht accepts only global unicast addresses (routing table, stored peers, lookup results, bind
 * addresses). A private DHT on 127.0.0.x therefore needs the test-scope loopback patch
 * ({@code org.btrelay.dht.LoopbackDht}); production code never changes that rule.
 *
 * <p>Beside it: {@link DhtBinding} (the UDP bind checks and mldht's start and stop),
 * {@link SwarmSchedule} (announce and lookup rounds per swarm) and {@link Bootstrapper} (getting
 * into, and staying in, a small DHT).
 */
public final class DhtNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);

    private final DhtConfig config;
    private final DhtTiming timing;
    private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, SwarmSchedule> swarms = new ConcurrentHashMap<>();
    private final Bootstrapper bootstrap;
    private final Object lifecycle = new Object();

    private volatile DHT dht;
    private volatile ScheduledThreadPoolExecutor exec;
    private volatile InetSocketAddress localAddress;
    private volatile boolean closed;
    private volatile long startedNanos;

    public DhtNode(DhtConfig config) {
        this(config, DhtTiming.DEFAULTS);
    }

    public DhtNode(DhtConfig config, DhtTiming timing) {
        this.config = Objects.requireNonNull(config, "config");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.bootstrap = new Bootstrapper(this, config.publicRouters());
        for (InetSocketAddress node : config.bootstrap()) {
            addBootstrapNode(node);
        }
    }

    /** The DHT target of a swarm: SHA-1 of the key's UTF-8 bytes, as the JavaScript bittorrent-relay derives it. */
    public static byte[] swarmTarget(String swarmKey) {
        Objects.requireNonNull(swarmKey, "swarmKey");
        try {
            return MessageDigest.getInstance("SHA-1").digest(swarmKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }

    /**
     * Introduces two running nodes of one JVM to each other. A node that only pings its seed is
     * seen by the seed but not verified, and the seed's own routing table stays empty until its
     * next bucket refresh (minutes); pinging both ways makes each side insert the other at once.
     */
    public static void link(DhtNode a, DhtNode b) {
        InetSocketAddress aa = a.localAddress();
        InetSocketAddress ba = b.localAddress();
        if (aa == null || ba == null) {
            throw new IllegalStateException("start both nodes before linking them");
        }
        a.addBootstrapNode(ba);
        b.addBootstrapNode(aa);
    }

    /**
     * Binds the UDP socket and starts mldht. Fails with a {@link BindException} naming the address
     * when the port is taken or the address is not local. mldht itself only prints bind errors (and
     * its sockets use SO_REUSEADDR, so a second bind "succeeds" on Linux), so the bind is checked
     * here: once with a plain socket before mldht starts, once on mldht's address after.
     */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("DHT node is closed");
            }
            if (dht != null) {
                return;
            }
            MldhtLogging.install();
            Files.createDirectories(config.storageDir());
            InetAddress bind = config.bindAddress() == null || config.bindAddress().isAnyLocalAddress()
                    ? null : config.bindAddress();
            if (bind != null && !(bind instanceof Inet4Address)) {
                throw new BindException("DHT cannot bind UDP " + DhtBinding.describe(bind, config.port())
                        + ": the DHT runs on IPv4 only; give an IPv4 address or none");
            }
            int port = DhtBinding.probeBind(bind, config.port());

            ScheduledThreadPoolExecutor ex = DhtBinding.newScheduler(DhtBinding.describe(bind, port));
            DHT d = new DHT(DHT.DHTtype.IPV4_DHT);
            d.setScheduler(ex);
            d.addIncomingMessageListener(bootstrap::received);
            try {
                d.start(new DhtBinding.Settings(config.storageDir(), port, !config.publicRouters(), bind));
                RPCServer srv = DhtBinding.awaitBound(d, ex, bind, port);
                localAddress = new InetSocketAddress(srv.getBindAddress(), srv.getPort());
            } catch (IOException | RuntimeException e) {
                DhtBinding.stopQuietly(d, ex);
                throw e;
            }
            dht = d;
            exec = ex;
            startedNanos = System.nanoTime();
            log.info("DHT listening on UDP {} ({}, {} bootstrap node(s))", DhtBinding.describe(localAddress),
                    config.publicRouters() ? "public routers" : "private", bootstrap.nodes().size());
            // mldht queued pings to the nodes of its cached routing table; its own first dequeue is 5 s away.
            submit(() -> d.getTaskManager().dequeue());
            for (InetSocketAddress node : bootstrap.nodes()) {
                submit(() -> bootstrap.ping(node));
            }
            long every = timing.bootstrapRetry().toMillis();
            ex.scheduleWithFixedDelay(guarded(() -> bootstrap.maintain(startedNanos)), every, every, TimeUnit.MILLISECONDS);
            for (SwarmSchedule s : swarms.values()) {
                submit(s::begin);
            }
        }
    }

    /**
     * Announces {@code announcePort} on the swarm's target as soon as the DHT is ready and then
     * every {@link DhtTiming#announceInterval()}, and looks the target up (often at first). Joining
     * a joined swarm with the same port does nothing; with another port it re-joins.
     */
    public void join(String swarmKey, int announcePort) {
        Objects.requireNonNull(swarmKey, "swarmKey");
        if (swarmKey.isEmpty()) {
            throw new IllegalArgumentException("empty swarm key");
        }
        if (announcePort < 1 || announcePort > 65535) {
            throw new IllegalArgumentException("announce port out of range: " + announcePort);
        }
        SwarmSchedule fresh = new SwarmSchedule(this, timing, swarmKey, announcePort);
        SwarmSchedule[] replaced = new SwarmSchedule[1];
        SwarmSchedule now = swarms.compute(swarmKey, (k, old) -> {
            if (old != null && old.port == announcePort) {
                return old;
            }
            replaced[0] = old;
            return fresh;
        });
        if (replaced[0] != null) {
            replaced[0].active = false;
            submit(replaced[0]::stop);
        }
        if (now == fresh) {
            log.info("DHT joined swarm '{}' (announcing port {})", swarmKey, announcePort);
            submit(fresh::begin);
        }
    }

    /** Stops announcing and looking up the swarm; no result of it is reported after this returns. */
    public void leave(String swarmKey) {
        SwarmSchedule s = swarms.remove(swarmKey);
        if (s != null) {
            s.active = false;
            submit(s::stop);
            log.info("DHT left swarm '{}'", swarmKey);
        }
    }

    public Set<String> swarms() {
        return Set.copyOf(swarms.keySet());
    }

    public void onPeerFound(PeerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Adds a node to bootstrap from and pings it; once it answers, it is in the routing table and
     * a bootstrap lookup runs. While the routing table is empty, bootstrap nodes are pinged again
     * every {@link DhtTiming#bootstrapRetry()}, so the order in which a lab starts does not matter.
     * A host name is resolved here, on the caller's thread.
     */
    public void addBootstrapNode(InetSocketAddress node) {
        Objects.requireNonNull(node, "node");
        InetSocketAddress resolved = node.isUnresolved() ? new InetSocketAddress(node.getHostString(), node.getPort()) : node;
        if (resolved.isUnresolved()) {
            log.warn("DHT bootstrap node {} ignored: its name does not resolve", node);
            return;
        }
        if (AddressUtils.isBogon(resolved)) {
            log.warn("DHT bootstrap node {} is not a global unicast address; mldht ignores such nodes "
                    + "(labs on 127.0.0.x need the loopback patch)", DhtBinding.describe(resolved));
        }
        if (bootstrap.add(resolved) && dht != null) {
            submit(() -> bootstrap.ping(resolved));
        }
    }

    public DhtStatus status() {
        DHT d = dht;
        boolean running = d != null && !closed && d.isRunning();
        int tableSize = 0;
        InetSocketAddress publicAddress = null;
        if (running) {
            Node node = d.getNode();
            tableSize = node == null ? 0 : node.getNumEntriesInRoutingTable();
            publicAddress = publicAddress(d);
        }
        return new DhtStatus(running, tableSize, localAddress, publicAddress, swarms.size());
    }

    /** The bound UDP address; {@code null} before {@link #start()}. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Stops mldht (it saves its routing table), cancels the schedules and waits for the UDP port to be free. */
    @Override
    public void close() {
        DHT d;
        ScheduledThreadPoolExecutor ex;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            for (SwarmSchedule s : swarms.values()) {
                s.active = false;
            }
            d = dht;
            ex = exec;
        }
        if (d == null) {
            return;
        }
        DhtBinding.stopQuietly(d, ex);
        InetSocketAddress bound = localAddress;
        if (bound != null && !DhtBinding.awaitPortFree(bound)) {
            log.warn("DHT UDP {} still busy {} ms after stop", DhtBinding.describe(bound), DhtBinding.PORT_RELEASE_WAIT_MILLIS);
        }
        log.info("DHT on UDP {} stopped", DhtBinding.describe(bound));
    }

    // ---- swarms -------------------------------------------------------------------------------

    /** The running mldht, or {@code null} before {@link #start()}. */
    DHT mldht() {
        return dht;
    }

    /** A lookup of {@code s} yielded an address; listeners hear of it unless it is us or was just reported. */
    void found(SwarmSchedule s, PeerAddressDBItem item) {
        if (!s.active) {
            return;
        }
        InetSocketAddress address = item.toSocketAddress();
        if (isSelf(address, s.port) || !s.freshReport(address)) {
            return;
        }
        for (PeerListener l : listeners) {
            try {
                l.found(s.key, address);
            } catch (RuntimeException e) {
                log.warn("DHT peer listener failed on {} of swarm '{}'", DhtBinding.describe(address), s.key, e);
            }
        }
    }

    /** Our own announce comes back from every node that stored it; it is no news to anyone. */
    private boolean isSelf(InetSocketAddress address, int announcedPort) {
        if (address.getPort() != announcedPort) {
            return false;
        }
        InetSocketAddress local = localAddress;
        if (local != null && address.getAddress().equals(local.getAddress())) {
            return true;
        }
        DHT d = dht;
        InetSocketAddress pub = d == null ? null : publicAddress(d);
        return pub != null && address.getAddress().equals(pub.getAddress());
    }

    // ---- bootstrap ----------------------------------------------------------------------------

    // ---- helpers ------------------------------------------------------------------------------

    void submit(Runnable task) {
        ScheduledThreadPoolExecutor ex = exec;
        if (ex == null || closed) {
            return;
        }
        try {
            ex.execute(guarded(task));
        } catch (RejectedExecutionException stopped) {
            // closing
        }
    }

    ScheduledFuture<?> later(Runnable task, long millis) {
        ScheduledThreadPoolExecutor ex = exec;
        if (ex == null || closed) {
            return null;
        }
        try {
            return ex.schedule(guarded(task), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            return null;
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A failed round must not end the schedule or the scheduler thread.
                log.error("DHT task failed", e);
            }
        };
    }

    private static InetSocketAddress publicAddress(DHT d) {
        try {
            for (RPCServer srv : d.getServerManager().getAllServers()) {
                InetSocketAddress consensus = srv.getConsensusExternalAddress();
                if (consensus != null) {
                    return consensus;
                }
                InetAddress global = srv.getPublicAddress();
                if (global != null) {
                    return new InetSocketAddress(global, srv.getPort());
                }
            }
        } catch (RuntimeException stopping) {
            // mldht clears its fields on stop
        }
        return null;
    }
}
