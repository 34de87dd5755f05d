package org.btrelay.mesh;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.undertow.websockets.WebSocketConnectionCallback;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.btrelay.concurrent.DaemonThreads;
import org.btrelay.health.Health;
import org.btrelay.net.ClientAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links between relays and the directory of relays this one knows: the facade over the
 * {@link Directory}, the {@link Dialer}, the {@link Handshake}, {@link Gossip}, the
 * {@link Heartbeat}, the {@link RelayCache} and the {@link MessageTable} that routes each message
 * type to its handler.
 *
 * <p>All state lives on one thread (the mesh loop): socket callbacks, timers and API calls post
 * tasks to it, so nothing here needs a lock. Readers get an immutable snapshot ({@link #relays()}),
 * refreshed by the loop whenever something changes.
 *
 * <p>Other components extend the protocol through {@link #handle} (a message type and its
 * capability), {@link #onLink} (links coming up and going down), {@link #send} and, on the mesh
 * thread, {@link #link} and {@link Link#send}.
 */
public final class Mesh implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mesh.class);

    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final int MAX_RELAYS = Directory.MAX_RELAYS;
    /** Open links, authenticated or not: enough for every known relay, not for a flood of sockets. */
    static final int MAX_LINKS = 512;
    static final int MESSAGES_PER_SECOND = 10;
    static final int MESSAGE_BURST = 40;
    /** Per link and direction: what may wait to be written before the link is dropped. */
    static final long MAX_QUEUED_BYTES = 512 * 1024;
    static final String CACHE_FILE = RelayCache.FILE_NAME;

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    /** What this relay says about itself. */
    public record Config(String name, String software, String httpUrl, List<String> trackers, List<String> swarms,
                         MeshTiming timing) {}

    private final Identity identity;
    private final Config config;
    private final MeshTiming timing;
    private final ScheduledExecutorService loop;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();
    private final MessageTable table = new MessageTable(JSON);
    private final Directory directory = new Directory();
    private final Dialer dialer;
    private final Heartbeat heartbeat;
    private final Gossip gossip;
    private final RelayCache cache;
    private final List<LinkListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<Link> links = new LinkedHashSet<>();
    private final Set<String> swarms = new LinkedHashSet<>();
    private final Handshake handshake;
    private RelayRecord self;
    private long lastGossip;
    private long lastPersist;
    private boolean closed;
    private volatile boolean started;
    private volatile Thread meshThread;
    private volatile long ignoredMessages;
    private volatile List<RelayView> snapshot = List.of();

    public Mesh(Identity identity, Config config, Supplier<Health> healthSource, Path dataDir) {
        this.identity = identity;
        this.config = config;
        this.timing = config.timing();
        this.cache = dataDir == null ? null : new RelayCache(dataDir.resolve(CACHE_FILE), JSON);
        this.swarms.addAll(config.swarms());
        this.loop = DaemonThreads.singleScheduled("mesh-" + identity.id().substring(0, 8));
        this.loop.execute(() -> meshThread = Thread.currentThread());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(loop).build();
        this.dialer = new Dialer(directory, timing, Mesh::now, random::nextDouble, this::connect);
        this.heartbeat = new Heartbeat(timing, healthSource, directory, this::drop);
        this.gossip = new Gossip(identity.id(), () -> self, directory, dialer, this::drop);
        this.handshake = new Handshake(identity, () -> self, table::capabilities, directory, dialer, this::drop,
                this::linkUp);
        table.register(LinkMessage.Hello.class, null, true, handshake::onHello, "capabilities");
        table.register(LinkMessage.Proof.class, null, true, handshake::onProof);
        table.register(LinkMessage.Ping.class, null, false, heartbeat::onPing);
        table.register(LinkMessage.Pong.class, null, false, (l, m) -> heartbeat.onPong(l, m, now()));
        table.register(LinkMessage.HealthReport.class, Capabilities.HEALTH, false,
                (l, m) -> heartbeat.onHealth(l, m, now()));
        table.register(LinkMessage.Gossip.class, Capabilities.GOSSIP, false, gossip::onRecords);
        this.self = signSelf();
        publish();
    }

    // ================================================================== lifecycle

    /** Loads the cache and starts the timers; from now on, no more {@link #handle} registrations. */
    public void start() {
        run(() -> {
            loadCache();
            heartbeat.sample();
            publish();
        });
        started = true;
        loop.scheduleWithFixedDelay(() -> task(this::tick), 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            loop.submit(() -> {
                closed = true;
                dialer.close();
                for (Link l : List.copyOf(links)) {
                    l.transport().close(LinkCloseCodes.GOING_AWAY, "relay shutting down");
                }
                persist();
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("mesh did not stop cleanly: {}", e.toString());
        }
        loop.shutdown();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownNow();
    }

    public String id() {
        return identity.id();
    }

    // ================================================================== public API (any thread)

    /** An address the DHT yielded for a swarm: the HTTP port of a relay, maybe. */
    public void addressFound(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        URI url = URI.create("ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/relay");
        run(() -> dialer.offer(url));
    }

    /** Links to a relay given by URL (http://, https://, ws:// or wss://), as with --peer. */
    public void addPeer(String url) {
        URI link = linkUrl(url);
        if (link == null) {
            throw new IllegalArgumentException("not a relay URL: " + url);
        }
        run(() -> dialer.offer(link));
    }

    /**
     * @throws IllegalArgumentException for a key no relay would accept in a record; joining past
     *         {@link RelayRecord#MAX_SWARMS} swarms is refused the same way
     */
    public void joinSwarm(String key) {
        if (!RelayRecord.validSwarmKey(key)) {
            throw new IllegalArgumentException("a swarm key has 1 to " + RelayRecord.MAX_SWARM_KEY + " characters");
        }
        try {
            loop.submit(() -> {
                if (!swarms.contains(key) && swarms.size() >= RelayRecord.MAX_SWARMS) {
                    throw new IllegalArgumentException("at most " + RelayRecord.MAX_SWARMS + " swarms");
                }
                if (swarms.add(key)) {
                    resign();
                }
                return null;
            }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IllegalArgumentException iae ? iae : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining a swarm", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the mesh did not answer", e);
        }
    }

    public void leaveSwarm(String key) {
        run(() -> {
            if (swarms.remove(key)) {
                resign();
            }
        });
    }

    /** Every relay known, this one first; immutable. */
    public List<RelayView> relays() {
        return snapshot;
    }

    /** The health history of one relay (oldest first), or empty. */
    public List<Health> history(String relayId) {
        try {
            return loop.submit(() -> directory.history(relayId)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return List.of();
        }
    }

    public RelayRecord selfRecord() {
        return self;
    }

    /** The Undertow callback for {@code /relay}: links other relays open to us. */
    public WebSocketConnectionCallback acceptor() {
        return (exchange, channel) -> {
            ServerLinkTransport t = new ServerLinkTransport(channel, ClientAddress.of(exchange, channel), MAX_QUEUED_BYTES);
            Link link = newLink(t, false, null);
            // Open first: the loop runs tasks in order, so the hello goes out before any message is read.
            run(() -> onLinkOpen(link));
            t.start(inbox(link), MAX_MESSAGE_BYTES);
        };
    }

    // ================================================================== extension seams

    /**
     * Registers a message type of a new family: {@code type}'s {@code @JsonTypeName} is its
     * {@code type} on the wire, and {@code capability} is announced in this relay's hello. The
     * handler runs on the mesh thread, only for messages from authenticated links on which both
     * sides named the capability; on other links such messages are neither sent nor handled.
     * Every field of the record is required on the wire; a message that does not read into it
     * closes the link (4400). Call before {@link #start()}.
     *
     * @throws IllegalArgumentException for a type that is taken or has no {@code @JsonTypeName}
     * @throws IllegalStateException    after {@link #start()}
     */
    public <M extends LinkMessage> void handle(Class<M> type, String capability, MessageHandler<M> handler) {
        if (capability == null) {
            throw new IllegalArgumentException("a message family needs a capability");
        }
        if (started) {
            throw new IllegalStateException("register message types before the mesh starts");
        }
        table.register(type, capability, false, handler);
    }

    /** Tells {@code listener} of links coming up and going down, on the mesh thread. */
    public void onLink(LinkListener listener) {
        listeners.add(listener);
    }

    /**
     * Sends a message to a linked relay, from any thread. Dropped quietly when the relay is not
     * linked or the message's capability is not shared on its link; to know, call
     * {@link Link#send} on the mesh thread instead.
     */
    public void send(String relayId, LinkMessage message) {
        table.capabilityOf(message.getClass()); // fail now, on the caller's thread, for an unregistered type
        run(() -> {
            Link l = upLink(relayId);
            if (l != null) {
                l.send(message);
            }
        });
    }

    /** Runs a task on the mesh thread (a task that throws is logged; the mesh carries on). */
    public void execute(Runnable task) {
        run(task);
    }

    /** The link that is up to a relay, or {@code null}. Mesh thread only. */
    public Link link(String relayId) {
        checkThread();
        return upLink(relayId);
    }

    /** Every link that is up. Mesh thread only. */
    public List<Link> links() {
        checkThread();
        return upLinks();
    }

    /** The capabilities this relay announces (sorted). */
    public Set<String> capabilities() {
        return java.util.Collections.unmodifiableSet(table.capabilities());
    }

    /** Messages from linked relays that were ignored: of a type this relay does not know, or of a capability not shared. */
    public long ignoredMessages() {
        return ignoredMessages;
    }

    /** Whether the caller runs on the mesh thread. */
    public boolean onMeshThread() {
        return Thread.currentThread() == meshThread;
    }

    private void checkThread() {
        if (!onMeshThread()) {
            throw new IllegalStateException("mesh state is for the mesh thread; use Mesh.execute");
        }
    }

    // ================================================================== links

    private Link newLink(LinkTransport t, boolean outbound, String dialKey) {
        return new Link(t, outbound, dialKey, newNonce(), table, this::drop,
                new TokenBucket(MESSAGES_PER_SECOND, MESSAGE_BURST, System.nanoTime()));
    }

    private LinkTransport.Inbox inbox(Link link) {
        return new LinkTransport.Inbox() {
            @Override
            public void text(String message) {
                run(() -> onLinkText(link, message));
            }

            @Override
            public void closed() {
                run(() -> onLinkClosed(link));
            }
        };
    }

    /** The dialer's connector: a JDK WebSocket to the candidate's URL. */
    private void connect(Dialer.Candidate c) {
        ClientLinkTransport t = new ClientLinkTransport(
                InetSocketAddress.createUnresolved(c.url.getHost(), c.url.getPort()), MAX_QUEUED_BYTES);
        Link link = newLink(t, true, c.key);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(c.url, t.listener(inbox(link), MAX_MESSAGE_BYTES))
                .whenComplete((ws, error) -> run(() -> {
                    if (error != null) {
                        dialer.failed(c, rootMessage(error));
                    } else {
                        t.attach(ws);
                        onLinkOpen(link);
                    }
                }));
    }

    private void onLinkOpen(Link link) {
        if (closed) {
            link.transport().close(LinkCloseCodes.GOING_AWAY, "relay shutting down");
            return;
        }
        if (links.size() >= MAX_LINKS) {
            link.transport().close(LinkCloseCodes.GOING_AWAY, "too many links");
            return;
        }
        links.add(link);
        link.openedAt = now();
        link.send(handshake.hello(link));
    }

    /** One text frame from a link: rate, then the table decides. */
    private void onLinkText(Link link, String text) {
        if (link.closed || closed) {
            return;
        }
        if (!link.takeToken(System.nanoTime())) {
            drop(link, LinkCloseCodes.TOO_MANY_MESSAGES, "too many messages");
            return;
        }
        MessageTable.Decoded decoded = table.decode(text);
        if (decoded instanceof MessageTable.Decoded.Known k) {
            MessageTable.Registration<?> r = k.registration();
            if (!link.authenticated && !r.beforeHandshake()) {
                drop(link, LinkCloseCodes.AUTH_FAILED, "handshake first");
            } else if (r.capability() != null && !link.has(r.capability())) {
                ignore(link, r.type());
            } else {
                r.dispatch(link, k.message());
            }
        } else if (decoded instanceof MessageTable.Decoded.Unknown u) {
            if (!link.authenticated) {
                drop(link, LinkCloseCodes.AUTH_FAILED, "handshake first");
            } else {
                ignore(link, u.type());
            }
        } else {
            drop(link, LinkCloseCodes.BAD_MESSAGE, "malformed message");
        }
    }

    /** A newer relay may speak of things this one does not know; that is no reason to drop it. */
    private void ignore(Link link, String type) {
        ignoredMessages++;
        if (link.ignored++ == 0) {
            log.info("ignoring '{}' messages from relay {}: not a capability both relays have", type, link);
        } else {
            log.debug("ignoring a '{}' message from relay {}", type, link);
        }
    }

    /** The handshake authenticated this link and it is the one kept for its relay. */
    private void linkUp(Link link) {
        Directory.Entry e = directory.learn(link.peer, link.dialKey);
        if (e == null) {
            drop(link, LinkCloseCodes.NORMAL, "directory full");
            return;
        }
        e.link = link;
        directory.state(e, RelayState.LINKED);
        e.everLinked = true;
        e.lastSeen = System.currentTimeMillis();
        link.up = true;
        log.info("linked with relay {} '{}' ({}, capabilities {})", shortId(link.relayId()), link.peer.name(),
                link.transport().remoteIp(), new TreeSet<>(link.capabilities()));
        heartbeat.greet(link);
        gossip.sendTo(link);
        directory.dirty();
        for (LinkListener l : listeners) {
            try {
                l.up(link);
            } catch (RuntimeException ex) {
                log.error("link listener failed on link up of {}", link, ex);
            }
        }
    }

    private void onLinkClosed(Link link) {
        if (!links.remove(link) && link.closed) {
            return;
        }
        link.closed = true;
        dialer.closed(link);
        if (!link.up) {
            return;
        }
        link.up = false;
        Directory.Entry e = directory.get(link.relayId());
        if (e != null && e.link == link) {
            e.link = null;
            directory.state(e, RelayState.DOWN);
            e.rttMs = null;
            log.info("link to relay {} '{}' closed", shortId(link.relayId()), link.peer.name());
            dialer.lost(e);
        }
        for (LinkListener l : listeners) {
            try {
                l.down(link);
            } catch (RuntimeException ex) {
                log.error("link listener failed on link down of {}", link, ex);
            }
        }
    }

    private void drop(Link link, int code, String reason) {
        if (!link.closed) {
            log.info("closing link {}: {} {}", link, code, reason);
        }
        link.transport().close(code, reason);
        onLinkClosed(link);
    }

    private Link upLink(String relayId) {
        Directory.Entry e = relayId == null ? null : directory.get(relayId);
        return e == null || e.link == null || !e.link.up ? null : e.link;
    }

    private List<Link> upLinks() {
        List<Link> out = new ArrayList<>();
        for (Link l : links) {
            if (l.up && !l.closed) {
                out.add(l);
            }
        }
        return out;
    }

    // ================================================================== timers

    private void tick() {
        if (closed) {
            return;
        }
        long now = now();
        if (heartbeat.tick(now, links, this::upLinks)) {
            directory.changed();
        }
        if (now - lastGossip >= timing.gossip().toMillis()) {
            lastGossip = now;
            for (Link l : upLinks()) {
                gossip.sendTo(l);
            }
        }
        dialer.tick();
        if (directory.isDirty() && now - lastPersist >= timing.persist().toMillis()) {
            lastPersist = now;
            persist();
        }
    }

    private void resign() {
        self = signSelf();
        for (Link l : upLinks()) {
            gossip.sendTo(l);
        }
        directory.changed();
    }

    private RelayRecord signSelf() {
        return RelayRecord.create(identity, config.name(), config.software(), config.httpUrl(), config.trackers(),
                List.copyOf(swarms), System.currentTimeMillis());
    }

    // ================================================================== snapshot and cache

    private void publish() {
        snapshot = directory.views(self, heartbeat.current(), System.currentTimeMillis());
    }

    private void persist() {
        if (cache != null && cache.save(directory.all())) {
            directory.saved();
        }
    }

    private void loadCache() {
        if (cache == null) {
            return;
        }
        int n = 0;
        for (RelayCache.Cached c : cache.load(identity.id(), System.currentTimeMillis(), MAX_RELAYS)) {
            Directory.Entry e = directory.learn(c.record(), c.address());
            if (e != null) {
                e.lastSeen = c.lastSeen();
                e.everLinked = true;
                directory.state(e, RelayState.DOWN);
                dialer.remembered(e);
                n++;
            }
        }
        directory.saved();
        if (java.nio.file.Files.exists(cache.file())) {
            log.info("loaded {} known relays from {}", n, cache.file());
        }
    }

    // ================================================================== helpers

    /** Posts a task to the mesh loop; the snapshot is refreshed after it if anything it shows changed. */
    private void run(Runnable work) {
        try {
            loop.execute(() -> task(work));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private void task(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("mesh task failed", e);
        }
        if (directory.takeChanged()) {
            publish();
        }
    }

    /** The mesh clock: monotonic milliseconds. */
    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private String newNonce() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] proofBytes(String nonce, String signerId, String verifierId) {
        return Handshake.proofBytes(nonce, signerId, verifierId);
    }

    /** ws(s)://host:port/relay for a relay's http(s)/ws(s) URL, or null. */
    static URI linkUrl(String url) {
        return Dialer.linkUrl(url);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
