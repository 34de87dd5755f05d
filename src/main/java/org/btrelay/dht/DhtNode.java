package org.btrelay.dht;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import lbms.plugins.mldht.DHTConfiguration;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.Database;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.Node;
import lbms.plugins.mldht.kad.PeerAddressDBItem;
import lbms.plugins.mldht.kad.RPCCall;
import lbms.plugins.mldht.kad.RPCCallListener;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.messages.MessageBase;
import lbms.plugins.mldht.kad.messages.PingRequest;
import lbms.plugins.mldht.kad.tasks.AnnounceTask;
import lbms.plugins.mldht.kad.tasks.PeerLookupTask;
import lbms.plugins.mldht.kad.tasks.Task;
import lbms.plugins.mldht.kad.utils.AddressUtils;
import org.btrelay.concurrent.DaemonThreads;
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
 */
public final class DhtNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);
    private static final long START_WAIT_SECONDS = 10;
    private static final long STOP_WAIT_SECONDS = 10;
    private static final long PORT_RELEASE_WAIT_MILLIS = 3000;
    /** Ping back requesters while the routing table holds fewer nodes than one full bucket. */
    private static final int PING_BACK_BELOW = 8;
    private static final long PING_BACK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int PING_BACK_REMEMBERED = 256;
    private static final int MAX_REMEMBERED_REPORTS = 10_000;
    private static final long STUCK_TASK_NANOS = TimeUnit.MINUTES.toNanos(2);
    private static final long LONELY_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DhtConfig config;
    private final DhtTiming timing;
    private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Swarm> swarms = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> bootstrapNodes = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private final Map<InetAddress, Long> pingedBack = new ConcurrentHashMap<>();

    private volatile DHT dht;
    private volatile ScheduledThreadPoolExecutor exec;
    private volatile InetSocketAddress localAddress;
    private volatile boolean closed;
    private volatile long startedNanos;
    private boolean warnedLonely; // scheduler thread only

    public DhtNode(DhtConfig config) {
        this(config, DhtTiming.DEFAULTS);
    }

    public DhtNode(DhtConfig config, DhtTiming timing) {
        this.config = Objects.requireNonNull(config, "config");
        this.timing = Objects.requireNonNull(timing, "timing");
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
                throw new BindException("DHT cannot bind UDP " + describe(bind, config.port())
                        + ": the DHT runs on IPv4 only; give an IPv4 address or none");
            }
            int port = probeBind(bind, config.port());

            ScheduledThreadPoolExecutor ex = newScheduler(describe(bind, port));
            DHT d = new DHT(DHT.DHTtype.IPV4_DHT);
            d.setScheduler(ex);
            d.addIncomingMessageListener(this::received);
            try {
                d.start(new Settings(config.storageDir(), port, !config.publicRouters(), bind));
                RPCServer srv = awaitBound(d, ex, bind, port);
                localAddress = new InetSocketAddress(srv.getBindAddress(), srv.getPort());
            } catch (IOException | RuntimeException e) {
                stopQuietly(d, ex);
                throw e;
            }
            dht = d;
            exec = ex;
            startedNanos = System.nanoTime();
            log.info("DHT listening on UDP {} ({}, {} bootstrap node(s))", describe(localAddress),
                    config.publicRouters() ? "public routers" : "private", bootstrapNodes.size());
            // mldht queued pings to the nodes of its cached routing table; its own first dequeue is 5 s away.
            submit(() -> d.getTaskManager().dequeue());
            for (InetSocketAddress node : bootstrapNodes) {
                submit(() -> ping(node));
            }
            long every = timing.bootstrapRetry().toMillis();
            ex.scheduleWithFixedDelay(guarded(this::maintain), every, every, TimeUnit.MILLISECONDS);
            for (Swarm s : swarms.values()) {
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
        Swarm fresh = new Swarm(swarmKey, announcePort);
        Swarm[] replaced = new Swarm[1];
        Swarm now = swarms.compute(swarmKey, (k, old) -> {
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
        Swarm s = swarms.remove(swarmKey);
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
                    + "(labs on 127.0.0.x need the loopback patch)", describe(resolved));
        }
        if (bootstrapNodes.add(resolved) && dht != null) {
            submit(() -> ping(resolved));
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
            for (Swarm s : swarms.values()) {
                s.active = false;
            }
            d = dht;
            ex = exec;
        }
        if (d == null) {
            return;
        }
        stopQuietly(d, ex);
        InetSocketAddress bound = localAddress;
        if (bound != null && !awaitPortFree(bound)) {
            log.warn("DHT UDP {} still busy {} ms after stop", describe(bound), PORT_RELEASE_WAIT_MILLIS);
        }
        log.info("DHT on UDP {} stopped", describe(bound));
    }

    // ---- swarms -------------------------------------------------------------------------------

    /** One joined swarm. Its schedule fields are touched only on the scheduler thread. */
    private final class Swarm {
        final String key;
        final int port;
        final Key target;
        volatile boolean active = true;
        /** Tasks under way, with when they were queued. */
        private final Map<Task, Long> tasks = new ConcurrentHashMap<>();
        private final Map<InetSocketAddress, Long> reported = new ConcurrentHashMap<>();
        private final long reportQuietNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(100),
                timing.fastLookupInterval().toNanos() / 2);
        private boolean begun;
        private long begunNanos;
        private ScheduledFuture<?> nextAnnounce;
        private ScheduledFuture<?> nextLookup;
        private PeerLookupTask lookup;
        private boolean announcing;
        private long retryMillis = timing.retryMin().toMillis();
        private boolean announcedOnce;

        Swarm(String key, int port) {
            this.key = key;
            this.port = port;
            this.target = new Key(swarmTarget(key));
        }

        void begin() {
            if (begun || !active || dht == null) {
                return;
            }
            begun = true;
            begunNanos = System.nanoTime();
            announce();
            lookup();
        }

        void stop() {
            cancel(nextAnnounce);
            cancel(nextLookup);
            for (Task t : List.copyOf(tasks.keySet())) {
                t.kill();
            }
            tasks.clear();
        }

        void announce() {
            DHT d = dht;
            if (!active || d == null || !d.isRunning() || announcing) {
                return;
            }
            RPCServer srv = d.getServerManager().getRandomActiveServer(true);
            if (srv == null || d.getNode().getNumEntriesInRoutingTable() == 0) {
                // Not bootstrapped yet: try again soon, without backing off.
                nextAnnounce = later(this::announce, timing.retryMin().toMillis());
                return;
            }
            announcing = true;
            PeerLookupTask task = newLookup(d, srv, "announce");
            task.addListener(t -> submit(() -> announceTo(d, task)));
            enqueue(d, task);
        }

        /** Second half of an announce: the lookup found the closest nodes and their tokens. */
        private void announceTo(DHT d, PeerLookupTask lookupTask) {
            tasks.remove(lookupTask);
            if (!active || !d.isRunning()) {
                announcing = false;
                return;
            }
            AnnounceTask task = lookupTask.getAnnounceCanidates().isEmpty() ? null : d.announce(lookupTask, false, port);
            if (task == null) {
                announced(0);
                return;
            }
            tasks.put(task, System.nanoTime());
            task.setInfo("relay announce of swarm " + key);
            task.addListener(t -> submit(() -> {
                tasks.remove(task);
                announced(task.getRecvResponses());
            }));
            d.getTaskManager().dequeue();
        }

        private void announced(int stored) {
            announcing = false;
            if (!active) {
                return;
            }
            if (stored > 0) {
                if (!announcedOnce) {
                    log.info("DHT announced swarm '{}' (port {}) on {} node(s)", key, port, stored);
                    announcedOnce = true;
                } else {
                    log.debug("DHT re-announced swarm '{}' (port {}) on {} node(s)", key, port, stored);
                }
                retryMillis = timing.retryMin().toMillis();
                nextAnnounce = later(this::announce, timing.announceInterval().toMillis());
            } else {
                log.debug("DHT announce of swarm '{}' reached no node; retry in {} ms", key, retryMillis);
                nextAnnounce = later(this::announce, retryMillis);
                retryMillis = Math.min(retryMillis * 2, timing.retryMax().toMillis());
            }
        }

        void lookup() {
            DHT d = dht;
            if (!active || d == null || !d.isRunning()) {
                return;
            }
            long sinceBegun = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begunNanos);
            long next = sinceBegun < timing.fastLookupPeriod().toMillis()
                    ? timing.fastLookupInterval().toMillis() : timing.lookupInterval().toMillis();
            nextLookup = later(this::lookup, next);
            killStuckTasks();
            if (lookup != null && !lookup.isFinished()) {
                return; // the last one is still asking
            }
            RPCServer srv = d.getServerManager().getRandomActiveServer(true);
            if (srv == null || d.getNode().getNumEntriesInRoutingTable() == 0) {
                return;
            }
            PeerLookupTask task = newLookup(d, srv, "lookup");
            task.setNoAnnounce(true);
            task.addListener(t -> tasks.remove(t));
            lookup = task;
            enqueue(d, task);
        }

        /**
         * mldht ends a task once its requests have answered or timed out (10 s at most), so this
         * should never fire; if it does, killing the task runs its listener and the schedule goes on.
         */
        private void killStuckTasks() {
            long now = System.nanoTime();
            tasks.forEach((task, queued) -> {
                if (task.isFinished()) {
                    // Finished without its listener removing it (mldht may finish a task before
                    // the listener runs): nothing is stuck, just forget it.
                    tasks.remove(task);
                } else if (now - queued > STUCK_TASK_NANOS) {
                    log.warn("DHT task for swarm '{}' stuck for {} s: {}", key, TimeUnit.NANOSECONDS.toSeconds(now - queued), task);
                    task.kill();
                    tasks.remove(task);
                }
            });
        }

        private PeerLookupTask newLookup(DHT d, RPCServer srv, String what) {
            PeerLookupTask task = new PeerLookupTask(srv, d.getNode(), target);
            task.setInfo("relay " + what + " of swarm " + key);
            task.setResultHandler((from, item) -> found(this, item));
            // A lookup asks only other nodes, never our own store: relays that announced to us
            // would be missed (in a DHT of two, everything would).
            forgetOldReports();
            storedHere(d).forEach(item -> found(this, item));
            return task;
        }

        /**
         * Every node that stores a peer returns it, and the announce's lookup and a plain lookup
         * may overlap: an address is reported once per half fast-lookup interval, so about once
         * per lookup round. Returns whether to report it now.
         */
        boolean freshReport(InetSocketAddress address) {
            long now = System.nanoTime();
            boolean[] fresh = new boolean[1];
            reported.compute(address, (a, last) -> {
                fresh[0] = last == null || now - last >= reportQuietNanos;
                return fresh[0] ? now : last;
            });
            return fresh[0];
        }

        private void forgetOldReports() {
            long now = System.nanoTime();
            reported.values().removeIf(last -> now - last >= reportQuietNanos);
            if (reported.size() > MAX_REMEMBERED_REPORTS) {
                reported.clear();
            }
        }

        private List<PeerAddressDBItem> storedHere(DHT d) {
            Database.PeersSeeds stored = d.getDatabase().getData().get(target);
            if (stored == null) {
                return List.of();
            }
            long now = System.currentTimeMillis();
            return Stream.concat(stored.peers().stream(), stored.seeds().stream())
                    .filter(item -> !item.expired(now))
                    .toList();
        }

        private void enqueue(DHT d, Task task) {
            tasks.put(task, System.nanoTime());
            // addTask only queues; dequeue starts it now instead of at mldht's next 1 s tick.
            d.getTaskManager().addTask(task);
            d.getTaskManager().dequeue();
        }
    }

    private void found(Swarm s, PeerAddressDBItem item) {
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
                log.warn("DHT peer listener failed on {} of swarm '{}'", describe(address), s.key, e);
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

    private void ping(InetSocketAddress node) {
        DHT d = dht;
        if (d == null || !d.isRunning()) {
            return;
        }
        RPCServer srv = d.getServerManager().getRandomActiveServer(true);
        if (srv == null) {
            return;
        }
        PingRequest ping = new PingRequest();
        ping.setID(srv.getDerivedID());
        ping.setDestination(node);
        RPCCall call = new RPCCall(ping);
        call.addListener(new RPCCallListener() {
            @Override
            public void onResponse(RPCCall c, MessageBase response) {
                // The answer puts the node in the routing table; a bootstrap lookup fills the rest.
                submit(() -> {
                    if (d.isRunning()) {
                        d.bootstrap();
                        d.getTaskManager().dequeue();
                    }
                });
            }
        });
        srv.doCall(call);
    }

    /**
     * While our routing table is nearly empty, a node that asks us something is pinged back: its
     * answer puts it in our table as a verified entry. mldht alone only notes unsolicited nodes as
     * unverified, so a seed that others bootstrap from (one way, {@code --bootstrap}) would not
     * know any of them until its next bucket refresh, minutes later. Called on mldht's receive thread.
     */
    private void received(DHT d, MessageBase message) {
        if (message.getType() != MessageBase.Type.REQ_MSG) {
            return;
        }
        Node node = d.getNode();
        InetSocketAddress from = message.getOrigin();
        if (node == null || node.getNumEntriesInRoutingTable() >= PING_BACK_BELOW || from == null
                || AddressUtils.isBogon(from)) {
            return;
        }
        long now = System.nanoTime();
        Long last = pingedBack.get(from.getAddress());
        if (last != null && now - last < PING_BACK_EVERY_NANOS) {
            return;
        }
        if (pingedBack.size() >= PING_BACK_REMEMBERED) {
            pingedBack.clear();
        }
        pingedBack.put(from.getAddress(), now);
        submit(() -> ping(from));
    }

    private void maintain() {
        DHT d = dht;
        if (d == null || !d.isRunning()) {
            return;
        }
        if (d.getNode().getNumEntriesInRoutingTable() > 0) {
            return;
        }
        for (InetSocketAddress node : bootstrapNodes) {
            ping(node);
        }
        if (!warnedLonely && System.nanoTime() - startedNanos > LONELY_WARNING_NANOS) {
            warnedLonely = true;
            log.warn("DHT on UDP {} knows no other node after {} s (public routers {}, bootstrap nodes {}); "
                    + "is UDP blocked?", describe(localAddress), TimeUnit.NANOSECONDS.toSeconds(LONELY_WARNING_NANOS),
                    config.publicRouters() ? "on" : "off", bootstrapNodes);
        }
    }

    // ---- binding and stopping -----------------------------------------------------------------

    /** Binds a plain socket (no SO_REUSEADDR), so a busy port or a foreign address fails here, clearly. */
    private static int probeBind(InetAddress bind, int port) throws BindException {
        InetSocketAddress at = bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(at);
            return probe.getLocalPort();
        } catch (SocketException e) {
            BindException failure = new BindException("DHT cannot bind UDP " + describe(bind, port) + ": "
                    + e.getMessage() + (isAddressInUse(e) ? " (another program, or the UDP tracker, uses this port)" : ""));
            failure.initCause(e);
            throw failure;
        }
    }

    private static boolean isAddressInUse(SocketException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("in use");
    }

    /** Waits until mldht has run its socket setup on the scheduler, then checks that it holds the port. */
    private static RPCServer awaitBound(DHT d, ScheduledThreadPoolExecutor ex, InetAddress bind, int port) throws IOException {
        try {
            // mldht queued the server's bind on the scheduler during start(); this runs after it.
            ex.submit(() -> { }).get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the DHT started", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("DHT on UDP " + describe(bind, port) + " did not start within "
                    + START_WAIT_SECONDS + " s", e);
        }
        List<RPCServer> servers = d.getServerManager().getAllServers();
        if (servers.isEmpty()) {
            String why = bind == null
                    ? "mldht found no IPv4 address to bind"
                    : "mldht refuses " + bind.getHostAddress() + " (it binds only global unicast addresses; "
                            + "labs on 127.0.0.x need the loopback patch)";
            throw new BindException("DHT cannot bind UDP " + describe(bind, port) + ": " + why);
        }
        RPCServer srv = servers.get(0);
        // A plain socket can bind only if mldht's socket is not there: mldht failed (and printed why).
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(srv.getBindAddress(), srv.getPort()));
        } catch (SocketException expected) {
            return srv;
        }
        throw new BindException("DHT cannot bind UDP " + describe(srv.getBindAddress(), srv.getPort())
                + ": mldht could not open the socket");
    }

    private static boolean awaitPortFree(InetSocketAddress address) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PORT_RELEASE_WAIT_MILLIS);
        while (true) {
            try (DatagramSocket probe = new DatagramSocket(null)) {
                probe.setReuseAddress(false);
                probe.bind(address);
                return true;
            } catch (SocketException busy) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Stops mldht on its own scheduler (so nothing of ours runs at the same time), then the scheduler. */
    private static void stopQuietly(DHT d, ScheduledThreadPoolExecutor ex) {
        try {
            ex.submit(d::stop).get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            log.warn("DHT did not stop cleanly on its scheduler; stopping it directly", e);
            try {
                d.stop();
            } catch (RuntimeException again) {
                log.warn("DHT stop failed", again);
            }
        } finally {
            ex.shutdownNow();
        }
    }

    private static ScheduledThreadPoolExecutor newScheduler(String name) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("dht " + name));
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return ex;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void submit(Runnable task) {
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

    private ScheduledFuture<?> later(Runnable task, long millis) {
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

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
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

    private static String describe(InetAddress address, int port) {
        if (address == null) {
            return "0.0.0.0:" + port;
        }
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String describe(InetSocketAddress address) {
        return address == null ? "-" : describe(address.getAddress(), address.getPort());
    }

    /** mldht's view of our configuration. */
    private record Settings(Path storageDir, int port, boolean noRouters, InetAddress bind) implements DHTConfiguration {
        @Override
        public boolean isPersistingID() {
            return true;
        }

        @Override
        public Path getStoragePath() {
            return storageDir;
        }

        @Override
        public int getListeningPort() {
            return port;
        }

        @Override
        public boolean noRouterBootstrap() {
            return noRouters;
        }

        /**
         * mldht binds one socket per address only in multihoming mode, and there only to addresses it
         * counts as global; elsewhere it binds the default route's address or, failing that, any
         * interface address the filter accepts. So: multihoming for a global address, else not.
         */
        @Override
        public boolean allowMultiHoming() {
            return bind != null && AddressUtils.isGlobalUnicast(bind);
        }

        @Override
        public Predicate<InetAddress> filterBindAddress() {
            return bind == null ? a -> true : bind::equals;
        }
    }
}
