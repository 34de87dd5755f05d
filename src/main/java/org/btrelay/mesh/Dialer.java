package org.btrelay.mesh;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses worth dialling (from the DHT, {@code --peer}, gossip, the cache, a lost link) and when
 * to try each again: exponential backoff with jitter after a failure, no dialling of an address
 * that is this relay or of a relay already linked. Mesh thread only; the socket work is the
 * {@link Connector}'s.
 */
final class Dialer {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    static final int MAX_CANDIDATES = 2000;

    /** Opens a link to a candidate and reports back through {@link #failed} or the link's handshake. */
    interface Connector {
        void connect(Candidate c);
    }

    /** An address worth dialling. */
    static final class Candidate {
        final String key;
        final URI url;
        int failures;
        /** Mesh clock, ms. */
        long nextAttempt;
        boolean inFlight;
        /** Dialling it reached this relay itself. */
        boolean self;
        /** The relay found there, once known. */
        String relayId;

        Candidate(String key, URI url) {
            this.key = key;
            this.url = url;
        }
    }

    private final Map<String, Candidate> candidates = new HashMap<>();
    private final Directory directory;
    private final MeshTiming timing;
    private final LongSupplier clock;
    private final DoubleSupplier random;
    private final Connector connector;
    private final int capacity;
    private boolean closed;

    /**
     * @param clock  monotonic milliseconds
     * @param random uniform in [0, 1), for the jitter
     */
    Dialer(Directory directory, MeshTiming timing, LongSupplier clock, DoubleSupplier random, Connector connector) {
        this(directory, timing, clock, random, connector, MAX_CANDIDATES);
    }

    Dialer(Directory directory, MeshTiming timing, LongSupplier clock, DoubleSupplier random, Connector connector,
           int capacity) {
        this.directory = directory;
        this.timing = timing;
        this.clock = clock;
        this.random = random;
        this.connector = connector;
        this.capacity = capacity;
    }

    static String key(URI url) {
        return url.getHost() + ":" + url.getPort();
    }

    Candidate get(String key) {
        return candidates.get(key);
    }

    int size() {
        return candidates.size();
    }

    /** An address worth a try: dialled now unless it is this relay, busy, linked or backing off. Null when full. */
    Candidate offer(URI url) {
        if (closed) {
            return null;
        }
        String key = key(url);
        Candidate c = candidates.get(key);
        if (c == null) {
            if (candidates.size() >= capacity) {
                return null;
            }
            c = new Candidate(key, url);
            candidates.put(key, c);
        }
        if (!c.self && !c.inFlight && !linkedTo(c) && c.nextAttempt <= clock.getAsLong()) {
            dial(c);
        }
        return c;
    }

    /** Dials what is due: addresses that failed before, and relays we know by id. */
    void tick() {
        if (closed) {
            return;
        }
        long now = clock.getAsLong();
        for (Candidate c : List.copyOf(candidates.values())) {
            if (!c.self && !c.inFlight && c.nextAttempt <= now && !linkedTo(c) && (c.failures > 0 || c.relayId != null)) {
                dial(c);
            }
        }
    }

    void close() {
        closed = true;
    }

    private boolean linkedTo(Candidate c) {
        if (c.relayId == null) {
            return false;
        }
        Directory.Entry e = directory.get(c.relayId);
        return e != null && e.link != null;
    }

    private void dial(Candidate c) {
        c.inFlight = true;
        Directory.Entry e = c.relayId == null ? null : directory.get(c.relayId);
        if (e != null && e.link == null) {
            directory.state(e, RelayState.CONNECTING);
        }
        log.debug("dialling {}", c.url);
        connector.connect(c);
    }

    /** The connection could not be opened. */
    void failed(Candidate c, String why) {
        c.inFlight = false;
        c.failures++;
        c.nextAttempt = clock.getAsLong() + backoff(c.failures);
        log.debug("cannot reach {}: {}", c.url, why);
        Directory.Entry e = c.relayId == null ? null : directory.get(c.relayId);
        if (e != null && e.link == null) {
            directory.state(e, e.everLinked ? RelayState.DOWN : RelayState.UNREACHABLE);
        }
    }

    /** A link we dialled authenticated: known from now on, even if it loses to a duplicate, so not redialled. */
    void authenticated(Link link) {
        Candidate c = link.dialKey == null ? null : candidates.get(link.dialKey);
        if (c != null) {
            c.inFlight = false;
            c.failures = 0;
            c.relayId = link.relayId();
        }
    }

    /** Dialling this address reached this relay: never again. */
    void reachedSelf(Link link) {
        Candidate c = link.dialKey == null ? null : candidates.get(link.dialKey);
        if (c != null) {
            c.self = true;
        }
    }

    /** A link closed; one we dialled that never authenticated counts as a failure. */
    void closed(Link link) {
        Candidate c = link.dialKey == null ? null : candidates.get(link.dialKey);
        if (c != null && c.inFlight) {
            c.inFlight = false;
            if (!link.authenticated) {
                c.failures++;
                c.nextAttempt = clock.getAsLong() + backoff(c.failures);
            }
        }
    }

    /** The link to a relay was lost: dial it again where it can be reached, after a backoff. */
    void lost(Directory.Entry e) {
        Candidate c = redial(e);
        if (c != null) {
            c.failures = Math.max(c.failures, 1);
            c.nextAttempt = clock.getAsLong() + backoff(c.failures);
        }
    }

    /** A relay from the cache: dial it at the first tick. */
    void remembered(Directory.Entry e) {
        Candidate c = redial(e);
        if (c != null) {
            c.nextAttempt = 0;
        }
    }

    private Candidate redial(Directory.Entry e) {
        URI url = dialUrl(e);
        if (url == null) {
            return null;
        }
        Candidate c = candidates.computeIfAbsent(key(url), k -> new Candidate(k, url));
        c.relayId = e.record.id();
        return c;
    }

    /** Half to all of min·2^(failures-1), at most the maximum. */
    long backoff(int failures) {
        long min = timing.backoffMin().toMillis();
        long ms = min << Math.min(failures - 1, 16);
        ms = Math.min(ms, timing.backoffMax().toMillis());
        return ms / 2 + (long) (random.getAsDouble() * ms / 2);
    }

    /** Where to dial a relay: its own URL if it published one, else where it was reached. */
    static URI dialUrl(Directory.Entry e) {
        if (e.record != null && e.record.httpUrl() != null) {
            URI u = linkUrl(e.record.httpUrl());
            if (u != null) {
                return u;
            }
        }
        return e.address == null ? null : linkUrl("ws://" + e.address);
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
}
