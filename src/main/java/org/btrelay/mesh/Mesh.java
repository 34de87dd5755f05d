package org.btrelay.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.btrelay.concurrent.DaemonThreads;
import org.btrelay.health.Health;
import org.btrelay.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links between relays and the directory of relays this one knows.
 *
 * <p>All state lives on one thread (the mesh loop): socket callbacks, timers and API calls post
 * tasks to it, so nothing here needs a lock. Readers get an immutable snapshot ({@link #relays()}),
 * refreshed by the loop whenever something changes.
 */
public final class Mesh implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mesh.class);

    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final int MAX_RELAYS = 1000;
    static final int MAX_CANDIDATES = 2000;
    /** Open links, authenticated or not: enough for every known relay, not for a flood of sockets. */
    static final int MAX_LINKS = 512;
    static final int MAX_GOSSIP = 50;
    static final int HISTORY = 120;
    static final int MESSAGES_PER_SECOND = 10;
    static final int MESSAGE_BURST = 40;
    static final long MAX_QUEUED_BYTES = 512 * 1024;
    static final String CACHE_FILE = "relays.json";

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

    /** One relay we know of. */
    private static final class Entry {
        RelayRecord record;
        String state = "unreachable";
        Link link;
        String address;
        Health health;
        final ArrayDeque<Health> history = new ArrayDeque<>();
        Double rttMs;
        long lastSeen;
        boolean everLinked;
    }

    /** An address worth dialling: from the DHT, a --peer, gossip or the cache. */
    private static final class Candidate {
        final String key;
        final URI url;
        int failures;
        long nextAttempt;
        boolean inFlight;
        boolean self;
        String relayId;

        Candidate(String key, URI url) {
            this.key = key;
            this.url = url;
        }
    }

    private final Identity identity;
    private final Config config;
    private final MeshTiming timing;
    private final Supplier<Health> healthSource;
    private final Path cacheFile;
    private final ScheduledExecutorService loop;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Candidate> candidates = new HashMap<>();
    private final Set<Link> links = new LinkedHashSet<>();
    private final Set<String> swarms = new LinkedHashSet<>();
    private RelayRecord self;
    private Health selfHealth;
    private long lastHealthSent;
    private long lastPingSent;
    private long lastGossip;
    private long lastPersist;
    private boolean dirty;
    private boolean closed;
    private volatile List<RelayView> snapshot = List.of();
    private final long startedAt = System.currentTimeMillis();

    public Mesh(Identity identity, Config config, Supplier<Health> healthSource, Path dataDir) {
        this.identity = identity;
        this.config = config;
        this.timing = config.timing();
        this.healthSource = healthSource;
        this.cacheFile = dataDir == null ? null : dataDir.resolve(CACHE_FILE);
        this.swarms.addAll(config.swarms());
        this.loop = DaemonThreads.singleScheduled("mesh-" + identity.id().substring(0, 8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(loop).build();
        this.self = signSelf();
        publish();
    }

    // ================================================================== lifecycle

    public void start() {
        run(() -> {
            loadCache();
            selfHealth = healthSource.get();
            publish();
        });
        loop.scheduleWithFixedDelay(() -> guarded(this::tick), 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            loop.submit(() -> {
                closed = true;
                for (Link l : List.copyOf(links)) {
                    l.transport.close(LinkCloseCodes.GOING_AWAY, "relay shutting down");
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
        run(() -> candidate(url));
    }

    /** Links to a relay given by URL (http://, https://, ws:// or wss://), as with --peer. */
    public void addPeer(String url) {
        URI link = linkUrl(url);
        if (link == null) {
            throw new IllegalArgumentException("not a relay URL: " + url);
        }
        run(() -> candidate(link));
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
            return loop.submit(() -> {
                Entry e = entries.get(relayId);
                return e == null ? List.<Health>of() : List.copyOf(e.history);
            }).get(2, TimeUnit.SECONDS);
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
            ServerLinkTransport t = new ServerLinkTransport(channel,
                    org.btrelay.net.ClientAddress.of(exchange, channel), MAX_QUEUED_BYTES);
            Link link = new Link(t, false, null, newNonce());
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected long getMaxTextBufferSize() {
                    return MAX_MESSAGE_BYTES;
                }

                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    String text = message.getData();
                    run(() -> onLinkText(link, text));
                }

                @Override
                protected void onBinary(WebSocketChannel ch, StreamSourceFrameChannel frame) {
                    org.xnio.IoUtils.safeClose(frame);
                    t.close(LinkCloseCodes.BAD_MESSAGE, "binary messages are not part of the protocol");
                }
            });
            channel.addCloseTask(ch -> run(() -> onLinkClosed(link)));
            channel.resumeReceives();
            run(() -> onLinkOpen(link));
        };
    }

    // ================================================================== dialling

    private void candidate(URI url) {
        if (closed) {
            return;
        }
        String key = url.getHost() + ":" + url.getPort();
        Candidate c = candidates.get(key);
        if (c == null) {
            if (candidates.size() >= MAX_CANDIDATES) {
                return;
            }
            c = new Candidate(key, url);
            candidates.put(key, c);
        }
        if (!c.self && !c.inFlight && !linkedTo(c) && c.nextAttempt <= now()) {
            dial(c);
        }
    }

    private boolean linkedTo(Candidate c) {
        if (c.relayId == null) {
            return false;
        }
        Entry e = entries.get(c.relayId);
        return e != null && e.link != null;
    }

    private void dial(Candidate c) {
        c.inFlight = true;
        if (c.relayId != null && entries.containsKey(c.relayId) && entries.get(c.relayId).link == null) {
            entries.get(c.relayId).state = "connecting";
            publish();
        }
        ClientLinkTransport t = new ClientLinkTransport(c.url.getHost());
        Link link = new Link(t, true, c.key, newNonce());
        log.debug("dialling {}", c.url);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(c.url, new ClientListener(link))
                .whenComplete((ws, error) -> run(() -> {
                    if (error != null) {
                        onDialFailed(c, error);
                    } else {
                        t.attach(ws);
                        onLinkOpen(link);
                    }
                }));
    }

    private void onDialFailed(Candidate c, Throwable error) {
        c.inFlight = false;
        c.failures++;
        c.nextAttempt = now() + backoff(c.failures);
        log.debug("cannot reach {}: {}", c.url, rootMessage(error));
        if (c.relayId != null) {
            Entry e = entries.get(c.relayId);
            if (e != null && e.link == null) {
                e.state = e.everLinked ? "down" : "unreachable";
                publish();
            }
        }
    }

    private long backoff(int failures) {
        long min = timing.backoffMin().toMillis();
        long ms = min << Math.min(failures - 1, 16);
        ms = Math.min(ms, timing.backoffMax().toMillis());
        return ms / 2 + (long) (random.nextDouble() * ms / 2);
    }

    /** The JDK client's callbacks, handed to the mesh loop. */
    private final class ClientListener implements WebSocket.Listener {
        private final Link link;
        private final StringBuilder partial = new StringBuilder();

        ClientListener(Link link) {
            this.link = link;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (partial.length() + data.length() > MAX_MESSAGE_BYTES) {
                partial.setLength(0);
                link.transport.close(LinkCloseCodes.MESSAGE_TOO_BIG, "message too big");
                ws.abort();
                return null;
            }
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                run(() -> onLinkText(link, text));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
            link.transport.close(LinkCloseCodes.BAD_MESSAGE, "binary messages are not part of the protocol");
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            run(() -> onLinkClosed(link));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            run(() -> onLinkClosed(link));
        }
    }

    // ================================================================== link protocol

    private void onLinkOpen(Link link) {
        if (closed) {
            link.transport.close(LinkCloseCodes.GOING_AWAY, "relay shutting down");
            return;
        }
        if (links.size() >= MAX_LINKS) {
            link.transport.close(LinkCloseCodes.GOING_AWAY, "too many links");
            return;
        }
        links.add(link);
        link.openedAt = now();
        link.tokensAt = System.nanoTime();
        send(link, new LinkMessage.Hello(LinkMessage.VERSION, self, link.myNonce));
    }

    private void onLinkText(Link link, String text) {
        if (link.closed || closed) {
            return;
        }
        if (!link.takeToken(MESSAGES_PER_SECOND, MESSAGE_BURST)) {
            drop(link, LinkCloseCodes.TOO_MANY_MESSAGES, "too many messages");
            return;
        }
        LinkMessage m;
        try {
            m = JSON.readValue(text, LinkMessage.class);
        } catch (JsonProcessingException e) {
            drop(link, LinkCloseCodes.BAD_MESSAGE, "malformed message");
            return;
        }
        if (m == null) {
            drop(link, LinkCloseCodes.BAD_MESSAGE, "malformed message");
            return;
        }
        if (m instanceof LinkMessage.Hello h) {
            onHello(link, h);
        } else if (m instanceof LinkMessage.Proof p) {
            onProof(link, p);
        } else if (!link.authenticated) {
            drop(link, LinkCloseCodes.AUTH_FAILED, "handshake first");
        } else if (m instanceof LinkMessage.HealthReport r) {
            onHealth(link, r.health());
        } else if (m instanceof LinkMessage.Ping p) {
            send(link, new LinkMessage.Pong(p.n()));
        } else if (m instanceof LinkMessage.Pong p) {
            if (p.n() == link.pingN && link.pingSentNanos != 0) {
                Entry e = entries.get(link.peer.id());
                if (e != null) {
                    e.rttMs = Math.round((System.nanoTime() - link.pingSentNanos) / 1e4) / 100.0;
                }
                link.pingSentNanos = 0;
            }
        } else if (m instanceof LinkMessage.Gossip g) {
            onGossip(link, g);
        }
    }

    private void onHello(Link link, LinkMessage.Hello h) {
        if (link.peer != null) {
            drop(link, LinkCloseCodes.BAD_MESSAGE, "second hello");
            return;
        }
        if (h.version() != LinkMessage.VERSION) {
            drop(link, LinkCloseCodes.VERSION, "protocol version " + LinkMessage.VERSION + " only");
            return;
        }
        RelayRecord r = h.record();
        List<String> problems = r == null ? List.of("no record") : r.problems(System.currentTimeMillis());
        if (!problems.isEmpty()) {
            drop(link, LinkCloseCodes.AUTH_FAILED, "invalid record: " + problems.get(0));
            return;
        }
        byte[] nonce = decode(h.nonce());
        if (nonce == null || nonce.length != 32) {
            drop(link, LinkCloseCodes.BAD_MESSAGE, "nonce must be 32 bytes");
            return;
        }
        if (r.id().equals(identity.id())) {
            Candidate c = link.dialKey == null ? null : candidates.get(link.dialKey);
            if (c != null) {
                c.self = true;
            }
            drop(link, LinkCloseCodes.SELF, "this is myself");
            return;
        }
        link.peer = r;
        byte[] sig = identity.sign(proofBytes(h.nonce(), identity.id(), r.id()));
        send(link, new LinkMessage.Proof(Base64.getEncoder().encodeToString(sig)));
    }

    private void onProof(Link link, LinkMessage.Proof p) {
        if (link.peer == null || link.authenticated) {
            drop(link, LinkCloseCodes.AUTH_FAILED, "proof out of order");
            return;
        }
        byte[] sig = decode(p.signature());
        if (!Identity.verify(link.peer.publicKey(), proofBytes(link.myNonce, link.peer.id(), identity.id()), sig)) {
            drop(link, LinkCloseCodes.AUTH_FAILED, "proof does not verify");
            return;
        }
        link.authenticated = true;
        String peerId = link.peer.id();
        Candidate dialled = link.dialKey == null ? null : candidates.get(link.dialKey);
        if (dialled != null) {
            // Known from now on, even if this link loses to a duplicate: no redialling a linked relay.
            dialled.inFlight = false;
            dialled.failures = 0;
            dialled.relayId = peerId;
        }
        Entry e = entries.get(peerId);
        if (e != null && e.link != null && e.link != link) {
            // Two links between the same pair: both sides keep the one dialled by the lower id.
            String dialerOfNew = link.outbound ? identity.id() : peerId;
            String dialerOfOld = e.link.outbound ? identity.id() : peerId;
            Link loser = dialerOfNew.compareTo(dialerOfOld) < 0 ? e.link : link;
            if (loser == link) {
                drop(link, LinkCloseCodes.DUPLICATE, "already linked");
                return;
            }
            drop(e.link, LinkCloseCodes.DUPLICATE, "already linked");
        }
        e = learn(link.peer, link.dialKey);
        if (e == null) {
            drop(link, LinkCloseCodes.NORMAL, "directory full");
            return;
        }
        e.link = link;
        e.state = "linked";
        e.everLinked = true;
        e.lastSeen = System.currentTimeMillis();
        log.info("linked with relay {} '{}' ({})", shortId(peerId), link.peer.name(), link.transport.remoteIp());
        send(link, new LinkMessage.HealthReport(selfHealth != null ? selfHealth : healthSource.get()));
        sendGossip(link);
        dirty = true;
        publish();
    }

    private void onHealth(Link link, Health h) {
        List<String> problems = h == null ? List.of("no health") : h.problems();
        if (!problems.isEmpty()) {
            drop(link, LinkCloseCodes.BAD_MESSAGE, "impossible health: " + problems.get(0));
            return;
        }
        Entry e = entries.get(link.peer.id());
        if (e == null || e.link != link) {
            return;
        }
        link.lastHealth = now();
        e.health = h;
        e.lastSeen = System.currentTimeMillis();
        e.history.addLast(h);
        while (e.history.size() > HISTORY) {
            e.history.removeFirst();
        }
        publish();
    }

    private void onGossip(Link link, LinkMessage.Gossip g) {
        if (g.records() == null || g.records().size() > MAX_GOSSIP) {
            drop(link, LinkCloseCodes.BAD_MESSAGE, "at most " + MAX_GOSSIP + " records per message");
            return;
        }
        long nowMillis = System.currentTimeMillis();
        boolean changed = false;
        for (LinkMessage.Gossip.Entry ge : g.records()) {
            RelayRecord r = ge == null ? null : ge.record();
            if (r == null || !r.problems(nowMillis).isEmpty()) {
                drop(link, LinkCloseCodes.BAD_MESSAGE, "invalid record in gossip");
                return;
            }
            if (r.id().equals(identity.id())) {
                continue;
            }
            String address = ge.address() != null && ge.address().length() <= 300 ? ge.address() : null;
            Entry e = learn(r, address);
            changed |= e != null;
            if (e != null && e.link == null) {
                URI url = dialUrl(e);
                if (url != null) {
                    candidate(url);
                    Candidate c = candidates.get(url.getHost() + ":" + url.getPort());
                    if (c != null) {
                        c.relayId = r.id();
                    }
                }
            }
        }
        if (changed) {
            publish();
        }
    }

    /** Adds or refreshes a relay from a verified record; null when the directory is full. */
    private Entry learn(RelayRecord r, String address) {
        Entry e = entries.get(r.id());
        if (e == null) {
            if (entries.size() >= MAX_RELAYS && !evictOne()) {
                return null;
            }
            e = new Entry();
            entries.put(r.id(), e);
            log.info("learned of relay {} '{}'", shortId(r.id()), r.name());
            dirty = true;
        }
        if (e.record == null || r.timestamp() >= e.record.timestamp()) {
            if (e.record == null || r.timestamp() > e.record.timestamp()) {
                dirty = true;
            }
            e.record = r;
        }
        if (address != null && e.address == null) {
            e.address = address;
        }
        return e;
    }

    private boolean evictOne() {
        return entries.entrySet().stream()
                .filter(x -> x.getValue().link == null)
                .min(Comparator.comparingLong(x -> x.getValue().lastSeen))
                .map(x -> entries.remove(x.getKey()) != null)
                .orElse(false);
    }

    private void onLinkClosed(Link link) {
        if (!links.remove(link) && link.closed) {
            return;
        }
        link.closed = true;
        if (link.dialKey != null) {
            Candidate c = candidates.get(link.dialKey);
            if (c != null && c.inFlight) {
                c.inFlight = false;
                if (!link.authenticated) {
                    c.failures++;
                    c.nextAttempt = now() + backoff(c.failures);
                }
            }
        }
        if (link.peer == null || !link.authenticated) {
            return;
        }
        Entry e = entries.get(link.peer.id());
        if (e != null && e.link == link) {
            e.link = null;
            e.state = "down";
            e.rttMs = null;
            log.info("link to relay {} '{}' closed", shortId(link.peer.id()), link.peer.name());
            Candidate c = redialCandidate(e);
            if (c != null) {
                c.failures = Math.max(c.failures, 1);
                c.nextAttempt = now() + backoff(c.failures);
            }
            publish();
        }
    }

    private Candidate redialCandidate(Entry e) {
        URI url = dialUrl(e);
        if (url == null) {
            return null;
        }
        String key = url.getHost() + ":" + url.getPort();
        Candidate c = candidates.computeIfAbsent(key, k -> new Candidate(k, url));
        c.relayId = e.record.id();
        return c;
    }

    /** Where to dial a relay: its own URL if it published one, else where we reached it. */
    private URI dialUrl(Entry e) {
        if (e.record != null && e.record.httpUrl() != null) {
            URI u = linkUrl(e.record.httpUrl());
            if (u != null) {
                return u;
            }
        }
        return e.address == null ? null : linkUrl("ws://" + e.address);
    }

    private void drop(Link link, int code, String reason) {
        if (!link.closed) {
            log.info("closing link {} ({}): {} {}", link.peer == null ? "?" : shortId(link.peer.id()),
                    link.transport.remoteIp(), code, reason);
        }
        link.transport.close(code, reason);
        onLinkClosed(link);
    }

    // ================================================================== timers

    private void tick() {
        if (closed) {
            return;
        }
        long now = now();
        for (Link l : List.copyOf(links)) {
            if (!l.authenticated && now - l.openedAt > timing.handshakeTimeout().toMillis()) {
                drop(l, LinkCloseCodes.TIMEOUT, "handshake timeout");
            } else if (l.authenticated && now - Math.max(l.lastHealth, l.openedAt) > timing.heartbeatTimeout().toMillis()) {
                drop(l, LinkCloseCodes.TIMEOUT, "no heartbeat");
            }
        }
        if (now - lastHealthSent >= timing.health().toMillis()) {
            lastHealthSent = now;
            selfHealth = healthSource.get();
            for (Link l : authenticated()) {
                send(l, new LinkMessage.HealthReport(selfHealth));
            }
            publish();
        }
        if (now - lastPingSent >= timing.ping().toMillis()) {
            lastPingSent = now;
            for (Link l : authenticated()) {
                l.pingN++;
                l.pingSentNanos = System.nanoTime();
                send(l, new LinkMessage.Ping(l.pingN));
            }
        }
        if (now - lastGossip >= timing.gossip().toMillis()) {
            lastGossip = now;
            for (Link l : authenticated()) {
                sendGossip(l);
            }
        }
        for (Candidate c : List.copyOf(candidates.values())) {
            if (!c.self && !c.inFlight && c.nextAttempt <= now && !linkedTo(c) && (c.failures > 0 || c.relayId != null)) {
                dial(c);
            }
        }
        if (dirty && now - lastPersist >= timing.persist().toMillis()) {
            lastPersist = now;
            persist();
        }
    }

    private List<Link> authenticated() {
        List<Link> out = new ArrayList<>();
        for (Link l : links) {
            if (l.authenticated && !l.closed) {
                out.add(l);
            }
        }
        return out;
    }

    private void sendGossip(Link to) {
        List<LinkMessage.Gossip.Entry> out = new ArrayList<>();
        out.add(new LinkMessage.Gossip.Entry(self, null));
        List<Entry> known = new ArrayList<>(entries.values());
        known.sort(Comparator.comparingLong((Entry e) -> e.lastSeen).reversed());
        long nowMillis = System.currentTimeMillis();
        for (Entry e : known) {
            if (out.size() >= MAX_GOSSIP) {
                break;
            }
            if (e.record == null || (to.peer != null && e.record.id().equals(to.peer.id()))
                    || e.record.timestamp() < nowMillis - RelayRecord.MAX_AGE_MILLIS) {
                continue;
            }
            out.add(new LinkMessage.Gossip.Entry(e.record, e.address));
        }
        send(to, new LinkMessage.Gossip(out));
    }

    private void resign() {
        self = signSelf();
        for (Link l : authenticated()) {
            sendGossip(l);
        }
        publish();
    }

    private RelayRecord signSelf() {
        return RelayRecord.create(identity, config.name(), config.software(), config.httpUrl(), config.trackers(),
                List.copyOf(swarms), System.currentTimeMillis());
    }

    // ================================================================== snapshot and cache

    private void publish() {
        List<RelayView> out = new ArrayList<>(entries.size() + 1);
        out.add(new RelayView(self.id(), self.name(), self.software(), self.httpUrl(), self.trackers(), self.swarms(),
                "linked", 0.0, selfHealth, System.currentTimeMillis(), true));
        for (Entry e : entries.values()) {
            if (e.record == null) {
                continue;
            }
            RelayRecord r = e.record;
            List<String> trackers = r.trackers();
            if (trackers.isEmpty() && e.address != null) {
                trackers = List.of("ws://" + e.address + "/announce");
            }
            out.add(new RelayView(r.id(), r.name(), r.software(), r.httpUrl(), trackers, r.swarms(), e.state, e.rttMs,
                    e.health, e.lastSeen, false));
        }
        snapshot = List.copyOf(out);
    }

    /** What {@code relays.json} holds per relay: its signed record and where it was reached. */
    record Cached(RelayRecord record, String address, long lastSeen) {}

    private void persist() {
        if (cacheFile == null) {
            return;
        }
        List<Cached> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.record != null) {
                out.add(new Cached(e.record, e.address, e.lastSeen));
            }
        }
        try {
            AtomicFiles.write(cacheFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
            dirty = false;
        } catch (IOException e) {
            log.warn("cannot save known relays to {}: {}", cacheFile, e.getMessage());
        }
    }

    private void loadCache() {
        if (cacheFile == null || !Files.exists(cacheFile)) {
            return;
        }
        try {
            Cached[] cached = JSON.readValue(Files.readAllBytes(cacheFile), Cached[].class);
            long nowMillis = System.currentTimeMillis();
            int n = 0;
            for (Cached c : cached) {
                if (n >= MAX_RELAYS || c == null || c.record() == null || !c.record().problems(nowMillis).isEmpty()
                        || c.record().id().equals(identity.id())) {
                    continue;
                }
                Entry e = learn(c.record(), c.address());
                if (e != null) {
                    e.lastSeen = c.lastSeen();
                    e.everLinked = true;
                    e.state = "down";
                    Candidate cand = redialCandidate(e);
                    if (cand != null) {
                        cand.nextAttempt = 0;
                    }
                    n++;
                }
            }
            dirty = false;
            log.info("loaded {} known relays from {}", n, cacheFile);
        } catch (IOException e) {
            // A damaged cache only costs rediscovery; keep the file for inspection.
            log.warn("ignoring unreadable {}: {}", cacheFile, e.getMessage());
        }
    }

    // ================================================================== helpers

    private void send(Link link, LinkMessage m) {
        try {
            link.transport.send(JSON.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(Runnable task) {
        try {
            loop.execute(() -> guarded(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("mesh task failed", e);
        }
    }

    private long now() {
        return System.nanoTime() / 1_000_000;
    }

    private String newNonce() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] proofBytes(String nonce, String signerId, String verifierId) {
        return ("btrelay-link-v1|" + nonce + "|" + signerId + "|" + verifierId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(String base64) {
        try {
            return base64 == null ? null : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** ws(s)://host:port/relay for a relay's http(s)/ws(s) URL, or null. */
    static URI linkUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
            String ws = switch (scheme) {
                case "http", "ws" -> "ws";
                case "https", "wss" -> "wss";
                default -> null;
            };
            if (ws == null || u.getHost() == null) {
                return null;
            }
            int port = u.getPort() != -1 ? u.getPort() : ws.equals("wss") ? 443 : 80;
            return new URI(ws, null, u.getHost(), port, "/relay", null, null);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
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

    /** One link, in or out, through its handshake and life. Touched only on the mesh loop. */
    static final class Link {
        final LinkTransport transport;
        final boolean outbound;
        final String dialKey;
        final String myNonce;
        RelayRecord peer;
        boolean authenticated;
        boolean closed;
        long openedAt;
        long lastHealth;
        long pingN;
        long pingSentNanos;
        private double tokens = MESSAGE_BURST;
        long tokensAt;

        Link(LinkTransport transport, boolean outbound, String dialKey, String myNonce) {
            this.transport = transport;
            this.outbound = outbound;
            this.dialKey = dialKey;
            this.myNonce = myNonce;
        }

        boolean takeToken(int perSecond, int burst) {
            long t = System.nanoTime();
            tokens = Math.min(burst, tokens + (t - tokensAt) * perSecond / 1e9);
            tokensAt = t;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
